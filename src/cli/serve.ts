import type { Command } from './command.ts';

export const serveCommand: Command = {
  summary: 'Start the HTTP API (embedded PGlite in ./data unless DATABASE_URL is set; demo data on first start)',
  usage: 'metrotrace serve   (PORT, HOST, DATABASE_URL, METROTRACE_DATA, METROTRACE_DEMO=0 to skip the demo data)',
  async run() {
    const { startServer } = await import('../main/server.ts');
    const server = await startServer();
    await new Promise<void>((resolve) => {
      const stop = () => {
        void server.close().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
