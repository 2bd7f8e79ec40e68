#define _GNU_SOURCE
#include "csystem.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int csys_run(const char *path, char *const argv[], char *const envp[], int timeout_ms,
             char *out, size_t cap, size_t *out_len, int *exit_status) {
    int fds[2];
    *out_len = 0; out[0] = 0; *exit_status = 0;
    if (pipe2(fds, O_CLOEXEC) != 0) { *exit_status = errno; return -1; }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // the child keeps stdin/stdout/stderr only: no descriptor another thread opened without O_CLOEXEC (a script
    // being written, a model file) lives on in it
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    posix_spawnattr_init(&at);
    posix_spawnattr_setpgroup(&at, 0); // own process group, so a timeout kills its children too
    sigset_t def; sigemptyset(&def); sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    // ETXTBSY: the program was just written and another thread's fork still holds its write descriptor (a
    // known race of multithreaded processes that create scripts); it clears within milliseconds, so retry
    // for up to a second (or the timeout, if shorter) before reporting it.
    long long busy_until = now_ms() + (timeout_ms < 1000 ? timeout_ms : 1000);
    int rc;
    for (;;) {
        rc = posix_spawn(&pid, path, &fa, &at, argv, envp);
        if (rc != ETXTBSY || now_ms() >= busy_until) break;
        struct timespec pause = { 0, 10 * 1000000 };
        nanosleep(&pause, NULL);
    }
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc != 0) { close(fds[0]); *exit_status = rc; return -1; }
    long long deadline = now_ms() + timeout_ms;
    int timed_out = 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) { timed_out = 1; break; }
        struct pollfd p = { fds[0], POLLIN, 0 };
        int pr = poll(&p, 1, (int)left);
        if (pr < 0) { if (errno == EINTR) continue; break; }
        if (pr == 0) { timed_out = 1; break; }
        char tmp[4096];
        ssize_t r = read(fds[0], tmp, sizeof tmp);
        if (r < 0) { if (errno == EINTR) continue; break; }
        if (r == 0) break; // every writer closed
        size_t room = cap - 1 - *out_len;
        size_t take = (size_t)r < room ? (size_t)r : room;
        memcpy(out + *out_len, tmp, take);
        *out_len += take;
    }
    out[*out_len] = 0;
    close(fds[0]);
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 1;
    }
    // Output closed: the command normally exits now; bound the wait all the same.
    int st = 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (now_ms() >= deadline) { kill(-pid, SIGKILL); kill(pid, SIGKILL); waitpid(pid, NULL, 0); return 1; }
        usleep(2000);
    }
    *exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return 0;
}
