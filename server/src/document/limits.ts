/** Files larger than this are not analysed by default (the yaml parser needs ~0.3 s per MB on these machines). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
