/* A dependency library: exec_with_resource loads it RTLD_GLOBAL before the main library. */
int dep_scale(int x) { return 10 * x; }
