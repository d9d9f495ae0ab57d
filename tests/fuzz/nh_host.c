/*
 * fuzz_host.c - the host context, which host/main.c defines in nonehost and
 * every fuzz target links (the gate and the error paths name it).
 */
#include "host.h"

struct nh_host nh_host;
