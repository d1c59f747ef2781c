/** Server configuration from the environment, validated at boot. */
import { resolve } from 'node:path';

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly seedDemo: boolean;
  readonly logger: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0–65535), got '${env.PORT}'`);
  }
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: url,
    dataDir: resolve(env.METROTRACE_DATA ?? 'data'),
    seedDemo: env.METROTRACE_DEMO !== '0',
    logger: env.LOG !== '0',
  };
}
