// Next.js calls register() once when a server instance starts: the console's background work starts here.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startJwksRefresher } = await import("./lib/keys/refresher");
  const { startEventRetention } = await import("./lib/oauth/retention");
  const { startCampaignSnapshots } = await import("./lib/campaigns/scheduler");
  const { startNotificationScheduler } = await import("./lib/notify/scheduler");
  const { startNotificationRetention } = await import("./lib/notify/retention");
  startJwksRefresher();
  startEventRetention();
  startCampaignSnapshots();
  startNotificationScheduler();
  startNotificationRetention();
}
