/* hello_fcgi: the FastCGI ceiling of this machine. A libfcgi responder that
 * answers every request with the same small SCIM ListResponse, doing no other
 * work, so nginx + libfcgi in front of it give the best req/s any FastCGI
 * worker can reach here (see README.md in this directory).
 *
 *   hello_fcgi SOCKET_PATH THREADS
 *
 * Stops on SIGTERM or SIGINT: exits 0 once the worker threads are done.
 * Build: gcc -O2 -Wall -Wextra -pthread bench/ceiling/hello_fcgi.c -lfcgi \
 *          -o build/bench/hello_fcgi
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char kBody[] =
    "{\"totalResults\":0,\"itemsPerPage\":0,\"startIndex\":1,\"Resources\":[]}";

static char g_header[256];
static int g_header_len;
static int g_listen_fd = -1;

/* Worker threads still running, so main can wait for them with a bound. */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_running;

static void *serve(void *arg) {
  (void)arg;
  FCGX_Request req;
  if (FCGX_InitRequest(&req, g_listen_fd, 0) == 0) {
    while (FCGX_Accept_r(&req) >= 0) {
      FCGX_PutStr(g_header, g_header_len, req.out);
      FCGX_PutStr(kBody, (int)(sizeof kBody - 1), req.out);
      FCGX_Finish_r(&req);
    }
    FCGX_Free(&req, 1);
  } else {
    fprintf(stderr, "hello_fcgi: FCGX_InitRequest failed\n");
  }
  pthread_mutex_lock(&g_mu);
  g_running--;
  pthread_cond_broadcast(&g_cv);
  pthread_mutex_unlock(&g_mu);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: hello_fcgi SOCKET_PATH THREADS\n");
    return 2;
  }
  const char *path = argv[1];
  char *end = NULL;
  long threads = strtol(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || threads < 1 || threads > 1024) {
    fprintf(stderr, "hello_fcgi: THREADS must be 1..1024, not '%s'\n", argv[2]);
    return 2;
  }
  g_header_len = snprintf(g_header, sizeof g_header,
                          "Status: 200 OK\r\nContent-Type: application/scim+json\r\n"
                          "Content-Length: %zu\r\n\r\n",
                          sizeof kBody - 1);

  /* All threads inherit this mask; only main takes the signals (sigwait).
   * SIGPIPE is ignored: a client that goes away must not kill the process. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  if (FCGX_Init() != 0) {
    fprintf(stderr, "hello_fcgi: FCGX_Init failed\n");
    return 1;
  }
  struct stat st;
  if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path); /* stale socket */
  g_listen_fd = FCGX_OpenSocket(path, 1024);
  if (g_listen_fd < 0) {
    fprintf(stderr, "hello_fcgi: cannot listen on %s\n", path);
    return 1;
  }
  if (chmod(path, 0666) != 0) {
    fprintf(stderr, "hello_fcgi: chmod %s: %s\n", path, strerror(errno));
    return 1;
  }

  pthread_t *tids = calloc((size_t)threads, sizeof *tids);
  if (!tids) return 1;
  g_running = (int)threads;
  for (long i = 0; i < threads; i++) {
    int rc = pthread_create(&tids[i], NULL, serve, NULL);
    if (rc != 0) {
      fprintf(stderr, "hello_fcgi: pthread_create: %s\n", strerror(rc));
      return 1;
    }
  }

  int sig = 0;
  while (sigwait(&stop, &sig) != 0) {
  }

  /* Threads blocked in accept() return once the listener is shut down;
   * libfcgi then sees the pending shutdown and FCGX_Accept_r fails. */
  FCGX_ShutdownPending();
  shutdown(g_listen_fd, SHUT_RDWR);

  /* A thread in the middle of a request (a client that never finishes
   * sending it) is not waited for beyond one second. */
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 800 * 1000 * 1000;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&g_mu);
  while (g_running > 0 && pthread_cond_timedwait(&g_cv, &g_mu, &deadline) == 0) {
  }
  int left = g_running;
  pthread_mutex_unlock(&g_mu);
  if (left == 0) {
    for (long i = 0; i < threads; i++) pthread_join(tids[i], NULL);
  } else {
    fprintf(stderr, "hello_fcgi: %d thread(s) still in a request at shutdown\n", left);
  }
  close(g_listen_fd);
  unlink(path);
  free(tids);
  return 0;
}
