/** Files larger than this are not analysed by default (the yaml parser needs ~0.3 s per MB on these machines). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/**
 * One YAML document larger than this is not analysed as you type (one 3.6 MB Task cost 5 s per keystroke): the
 * Kubernetes API server refuses a request over 1.5 MiB (etcd's limit) anyway, and a real Tekton resource is far below.
 */
export const MAX_CHECKED_DOCUMENT_BYTES = 512 * 1024;

/** A file with more YAML documents than this is not analysed (100,000 bare `---` cost seconds per keystroke). */
export const MAX_DOCUMENTS_PER_FILE = 5000;

/**
 * Flow collections (`[`, `{`) nested deeper than this are not parsed: the yaml parser spends ~15 µs per level, so one
 * 80 KB line of `[1, ` held the server for ~0.7 s per keystroke (a fuzz case), and its composer overflows the stack
 * near 1,000 levels; real resources nest a few dozen.
 */
export const MAX_FLOW_DEPTH = 500;
