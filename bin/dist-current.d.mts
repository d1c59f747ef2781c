/** Whether dist/ holds a build of the sources as they are now (bin/dist-current.mjs). `root`: the project's directory, ending in '/'. */
export function distIsCurrent(root: string): boolean;
