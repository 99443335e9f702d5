#ifndef CSPAWNSHIM_H
#define CSPAWNSHIM_H

// glibc's non-portable posix_spawn file actions, which Swift's Glibc module does not export. Each
// wrapper looks the function up once at run time and calls it with the types the C library
// declares; where the C library lacks it, the wrapper changes nothing and returns ENOSYS.

#include <spawn.h>

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+): close every descriptor from `from` up
/// in the child. Returns 0, an error number from the C library, or ENOSYS when it is missing.
int till_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+): change to `path` in the child before
/// running it. Returns 0, an error number from the C library, or ENOSYS when it is missing.
int till_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
