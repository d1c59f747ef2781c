/**
 * PostgreSQL's WAL positions as text (`16/B374D848`): how the primary and its
 * replicas report them, and how the API hands them to a client
 * (Metrotrace-Written-Lsn) and takes them back (Metrotrace-Read-After).
 */
/** A WAL position (`16/B374D848`) as a number of bytes; undefined when it is not one. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text?.trim() ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : undefined;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
