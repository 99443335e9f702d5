#define _GNU_SOURCE
#include "CSpawnShim.h"

#include <dlfcn.h>
#include <errno.h>

typedef int (*till_closefrom_action)(posix_spawn_file_actions_t *, int);
typedef int (*till_chdir_action)(posix_spawn_file_actions_t *, const char *);

int till_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
  till_closefrom_action action =
      (till_closefrom_action)dlsym(RTLD_DEFAULT, "posix_spawn_file_actions_addclosefrom_np");
  return action ? action(actions, from) : ENOSYS;
}

int till_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
  till_chdir_action action = (till_chdir_action)dlsym(RTLD_DEFAULT, "posix_spawn_file_actions_addchdir_np");
  return action ? action(actions, path) : ENOSYS;
}
