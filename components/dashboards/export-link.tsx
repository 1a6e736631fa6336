// "Export CSV" beside a dashboard table: the one export route, by table name (lib/metrics/csv-tables.ts).
// A plain anchor: the route answers a download, not a page to prefetch.
export function ExportCsvLink({ table, title }: { table: string; title: string }) {
  return (
    <a href={`/dashboards/export?table=${encodeURIComponent(table)}`} download aria-label={`Export CSV: ${title}`} className="text-sm" data-testid={`export-${table}`}>
      Export CSV
    </a>
  );
}
