/** One key for a read-model partition in the adapters' in-memory maps (NUL never occurs in names). */
export const partitionId = (collection: string, partition: string): string => `${collection}\u0000${partition}`;
