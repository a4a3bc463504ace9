/* rate_client: an open-loop, fixed-rate HTTP/1.1 load client for POST
 * /Users, so the daemon's commit-to-applied latency can be measured under a
 * steady write load (bench/latency_bench.sh; see README.md in this
 * directory).
 *
 *   rate_client HOST PORT PATH TOKEN RATE SECONDS CONNECTIONS
 *
 * HOST must be an IPv4 loopback address (127.0.0.0/8). CONNECTIONS
 * keep-alive TCP connections, all opened before the clock starts; one
 * thread, non-blocking sockets and ppoll().
 * Request k (k = 0, 1, ...) is due at start + k / RATE, for SECONDS seconds
 * (RATE * SECONDS requests in all). A due request goes out on an idle
 * connection; if every connection is busy it goes out as soon as one frees
 * and counts as "late". Each request is POST PATH with a bearer token and a
 * unique enterprise user (userName lat-<run prefix>-<k>, the body shape of
 * bench/load/common.lua user_body). After SECONDS, outstanding requests get
 * at most 10 s more. The HTTP latency of a request is measured from its
 * scheduled time, not from when it was sent (no coordinated omission).
 * Responses are framed by Content-Length or chunked transfer coding; any
 * other framing is an error. A connection the server closes between
 * requests (Connection: close, keepalive_requests) is reopened. Prints one
 * line:
 *   rate_client rate=500 seconds=20 sent=N ok=N non2xx=N errors=N late=N
 *     http_p50_ms=X http_p99_ms=Y
 * (ok = 2xx responses; percentiles by nearest rank over every answered
 * request). Exits 1, after the line, if any request failed on the
 * connection (connect, reset, bad framing, unanswered at the end); 2 on bad
 * arguments.
 *
 * Build: gcc -O2 -Wall -Wextra bench/ceiling/rate_client.c \
 *          -o build/bench/rate_client
 */
#define _GNU_SOURCE  /* ppoll */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNECTIONS 1024
#define DRAIN_SECONDS 10.0
#define READ_CHUNK 16384

enum conn_state { CONN_CLOSED, CONN_IDLE, CONN_BUSY };

struct conn {
  int fd;
  enum conn_state state;
  char *req;           /* the request being sent */
  size_t req_len, req_off;
  char *in;            /* bytes received for the current response */
  size_t in_len, in_cap;
  double scheduled;    /* due time of the current request (monotonic s) */
};

static struct sockaddr_in g_addr;
static const char *g_host, *g_path, *g_token;
static char g_port[16];
static uint32_t g_run;

static unsigned long long g_sent, g_ok, g_non2xx, g_errors, g_late;
static double *g_lat_ms;       /* one per answered request */
static unsigned long long g_lat_n;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t random_prefix(void) {
  uint32_t r = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    if (read(fd, &r, sizeof r) != (ssize_t)sizeof r) r = 0;
    close(fd);
  }
  if (r == 0) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    r = (uint32_t)t.tv_nsec ^ (uint32_t)t.tv_sec ^ ((uint32_t)getpid() << 16);
  }
  return r;
}

/* Opens a connection: a blocking connect (loopback: immediate; at most
 * 2 s), then non-blocking. Returns 0 or -1 (reported on stderr). */
static int open_conn(struct conn *c) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fprintf(stderr, "rate_client: socket: %s\n", strerror(errno));
    return -1;
  }
  int one = 1;
  struct timeval tv = {2, 0};
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&g_addr, sizeof g_addr) != 0 ||
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    fprintf(stderr, "rate_client: connect %s:%s: %s\n", g_host, g_port, strerror(errno));
    close(fd);
    return -1;
  }
  c->fd = fd;
  c->state = CONN_IDLE;
  c->in_len = 0;
  return 0;
}

static void close_conn(struct conn *c) {
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  c->state = CONN_CLOSED;
  c->in_len = 0;
}

/* The request for user k: headers and the body of common.lua user_body. */
static int build_request(struct conn *c, unsigned long long k) {
  char name[64], body[1024];
  snprintf(name, sizeof name, "lat-%08x-%llu", g_run, k);
  int b = snprintf(
      body, sizeof body,
      "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
      "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],"
      "\"userName\":\"%s\",\"name\":{\"givenName\":\"Given%llu\",\"familyName\":\"Family%llu\"},"
      "\"displayName\":\"User %llu\","
      "\"emails\":[{\"value\":\"%s@example.com\",\"type\":\"work\",\"primary\":true}],"
      "\"active\":true,\"title\":\"Engineer\","
      "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
      "{\"employeeNumber\":\"%llu\",\"department\":\"Dept %llu\"}}",
      name, k, k, k, name, k, k % 50);
  if (b < 0 || (size_t)b >= sizeof body) return -1;
  char *req = NULL;
  int n = asprintf(&req,
                   "POST %s HTTP/1.1\r\nHost: %s:%s\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/scim+json\r\nAccept: application/scim+json\r\n"
                   "Content-Length: %d\r\n\r\n%s",
                   g_path, g_host, g_port, g_token, b, body);
  if (n < 0) return -1;
  free(c->req);
  c->req = req;
  c->req_len = (size_t)n;
  c->req_off = 0;
  return 0;
}

/* A request that failed on the connection: counted, connection dropped. */
static void conn_failed(struct conn *c, const char *what) {
  fprintf(stderr, "rate_client: connection %d: %s\n", c->fd, what);
  g_errors++;
  close_conn(c);
}

static int send_some(struct conn *c) {
  while (c->req_off < c->req_len) {
    ssize_t n = send(c->fd, c->req + c->req_off, c->req_len - c->req_off, MSG_NOSIGNAL);
    if (n > 0) {
      c->req_off += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return 0;
    } else {
      conn_failed(c, n < 0 ? strerror(errno) : "send returned 0");
      return -1;
    }
  }
  return 0;
}

/* Finds header NAME (case-insensitive) in HEAD (NUL-terminated, the lines
 * after the status line); returns its value's start or NULL. */
static const char *header(const char *head, const char *name) {
  size_t len = strlen(name);
  for (const char *p = head; p && *p;) {
    if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
      p += len + 1;
      while (*p == ' ' || *p == '\t') p++;
      return p;
    }
    p = strstr(p, "\r\n");
    if (p) p += 2;
  }
  return NULL;
}

/* Length of a complete chunked body starting at BODY (N bytes available):
 * > 0 when complete, 0 when more bytes are needed, -1 when malformed. */
static long chunked_length(const char *body, size_t n) {
  size_t off = 0;
  for (;;) {
    const char *eol = memmem(body + off, n - off, "\r\n", 2);
    if (!eol) return n - off > 32 ? -1 : 0;
    char *end = NULL;
    unsigned long size = strtoul(body + off, &end, 16);
    if (end == body + off || (end != eol && *end != ';' && *end != ' ')) return -1;
    off = (size_t)(eol - body) + 2;
    if (size == 0) {
      /* Trailers (usually none), then an empty line. */
      for (;;) {
        const char *t = memmem(body + off, n - off, "\r\n", 2);
        if (!t) return 0;
        size_t line = (size_t)(t - (body + off));
        off += line + 2;
        if (line == 0) return (long)off;
      }
    }
    if (size > (1UL << 30)) return -1;
    if (n - off < size + 2) return 0;
    if (memcmp(body + off + size, "\r\n", 2) != 0) return -1;
    off += size + 2;
  }
}

/* Parses the response in c->in. Returns 1 when a response is complete
 * (counted; *close_after says the server closes the connection), 0 when
 * more bytes are needed, -1 on a malformed response (already counted). */
static int parse_response(struct conn *c, int *close_after) {
  char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
  if (!end) {
    if (c->in_len > 65536) {
      conn_failed(c, "response header over 64 KiB");
      return -1;
    }
    return 0;
  }
  size_t head_len = (size_t)(end - c->in) + 4;
  char saved = c->in[head_len - 2];
  c->in[head_len - 2] = '\0';  /* the head as a string, up to its last CRLF */
  int status = 0;
  if (sscanf(c->in, "HTTP/1.%*[01] %3d", &status) != 1 || status < 100 || status > 599) {
    c->in[head_len - 2] = saved;
    conn_failed(c, "malformed status line");
    return -1;
  }
  const char *lines = strstr(c->in, "\r\n");
  lines = lines ? lines + 2 : "";
  const char *cl = header(lines, "Content-Length");
  const char *te = header(lines, "Transfer-Encoding");
  const char *cn = header(lines, "Connection");
  *close_after = cn && strncasecmp(cn, "close", 5) == 0;
  long body_len;
  if (te && strncasecmp(te, "chunked", 7) == 0) {
    c->in[head_len - 2] = saved;
    body_len = chunked_length(c->in + head_len, c->in_len - head_len);
    if (body_len < 0) {
      conn_failed(c, "malformed chunked body");
      return -1;
    }
    if (body_len == 0) return 0;
  } else if (cl) {
    char *e = NULL;
    long long v = strtoll(cl, &e, 10);
    c->in[head_len - 2] = saved;
    if (e == cl || v < 0 || v > (1LL << 30)) {
      conn_failed(c, "malformed Content-Length");
      return -1;
    }
    body_len = (long)v;
    if (c->in_len - head_len < (size_t)body_len) return 0;
  } else if (status == 204 || status == 304 || status < 200) {
    c->in[head_len - 2] = saved;
    body_len = 0;
  } else {
    c->in[head_len - 2] = saved;
    conn_failed(c, "response with neither Content-Length nor chunked coding");
    return -1;
  }
  if (status < 200) {  /* 100 Continue and the like: drop, wait for the real one */
    size_t used = head_len + (size_t)body_len;
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
    return parse_response(c, close_after);
  }
  if (c->in_len != head_len + (size_t)body_len) {
    conn_failed(c, "bytes after the response (nothing was pipelined)");
    return -1;
  }
  c->in_len = 0;
  g_lat_ms[g_lat_n++] = (now_s() - c->scheduled) * 1000.0;
  if (status >= 200 && status < 300) {
    g_ok++;
  } else {
    if (g_non2xx < 5) fprintf(stderr, "rate_client: HTTP %d\n", status);
    g_non2xx++;
  }
  return 1;
}

/* Reads what is there. An idle connection the server closed is reopened
 * lazily (state CLOSED); a busy one counts a failed request. */
static void read_some(struct conn *c) {
  for (;;) {
    if (c->in_cap - c->in_len < READ_CHUNK) {
      size_t cap = c->in_cap * 2 + READ_CHUNK;
      char *p = realloc(c->in, cap);
      if (!p) {
        conn_failed(c, "out of memory");
        return;
      }
      c->in = p;
      c->in_cap = cap;
    }
    ssize_t n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      if (c->state == CONN_BUSY) {
        conn_failed(c, n < 0 ? strerror(errno) : "closed by the server mid-request");
      } else {
        close_conn(c);  /* keep-alive ended between requests */
      }
      return;
    }
    if (c->state != CONN_BUSY) {
      conn_failed(c, "bytes received with no request outstanding");
      return;
    }
    c->in_len += (size_t)n;
    c->in[c->in_len] = '\0';
    int close_after = 0;
    int r = parse_response(c, &close_after);
    if (r < 0) return;
    if (r == 1) {
      if (close_after) {
        close_conn(c);
      } else {
        c->state = CONN_IDLE;
      }
      return;
    }
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least q of the values <= it. */
static double percentile(const double *sorted, unsigned long long n, double q) {
  if (n == 0) return 0;
  unsigned long long rank = (unsigned long long)(q * (double)n + 0.999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return sorted[rank - 1];
}

static int usage(void) {
  fprintf(stderr, "usage: rate_client HOST PORT PATH TOKEN RATE SECONDS CONNECTIONS\n");
  return 2;
}

static int parse_number(const char *s, const char *what, double lo, double hi, double *out) {
  char *end = NULL;
  double v = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(v >= lo) || !(v <= hi)) {
    fprintf(stderr, "rate_client: %s must be %g..%g, not '%s'\n", what, lo, hi, s);
    return -1;
  }
  *out = v;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 8) return usage();
  g_host = argv[1];
  g_path = argv[3];
  g_token = argv[4];
  double port, rate, seconds, conns_d;
  if (parse_number(argv[2], "PORT", 1, 65535, &port) != 0 ||
      parse_number(argv[5], "RATE", 0.001, 1e6, &rate) != 0 ||
      parse_number(argv[6], "SECONDS", 0.001, 86400, &seconds) != 0 ||
      parse_number(argv[7], "CONNECTIONS", 1, MAX_CONNECTIONS, &conns_d) != 0) {
    return 2;
  }
  memset(&g_addr, 0, sizeof g_addr);
  g_addr.sin_family = AF_INET;
  g_addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, g_host, &g_addr.sin_addr) != 1 ||
      (ntohl(g_addr.sin_addr.s_addr) >> 24) != 127) {
    fprintf(stderr, "rate_client: HOST must be an IPv4 loopback address, not '%s'\n", g_host);
    return 2;
  }
  if (g_path[0] != '/' || strpbrk(g_path, " \r\n") || strpbrk(g_token, " \r\n")) {
    fprintf(stderr, "rate_client: PATH must start with / and PATH and TOKEN have no spaces\n");
    return 2;
  }
  snprintf(g_port, sizeof g_port, "%d", (int)port);
  int nconn = (int)conns_d;
  unsigned long long total = (unsigned long long)(rate * seconds + 0.5);
  g_run = random_prefix();
  g_lat_ms = calloc(total ? total : 1, sizeof *g_lat_ms);
  struct conn *cs = calloc((size_t)nconn, sizeof *cs);
  struct pollfd *pfd = calloc((size_t)nconn, sizeof *pfd);
  if (!g_lat_ms || !cs || !pfd) {
    fprintf(stderr, "rate_client: out of memory\n");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  for (int i = 0; i < nconn; i++) {
    cs[i].fd = -1;
    if (open_conn(&cs[i]) != 0) return 1;
  }

  double start = now_s();
  double end_sched = start + seconds;
  double drain_deadline = end_sched + DRAIN_SECONDS;
  unsigned long long next = 0;  /* the next request to send */
  int next_blocked = 0;         /* it was due with every connection busy */
  int next_conn = 0;            /* round-robin start of the idle search */
  for (;;) {
    double t = now_s();
    /* Send every due request that has an idle connection. */
    while (next < total && start + (double)next / rate <= t) {
      struct conn *c = NULL;
      for (int j = 0; j < nconn && !c; j++) {
        struct conn *x = &cs[(next_conn + j) % nconn];
        if (x->state == CONN_CLOSED && open_conn(x) != 0) {
          g_errors++;
          continue;
        }
        if (x->state == CONN_IDLE) c = x;
      }
      if (!c) {
        next_blocked = 1;
        break;
      }
      next_conn = (int)(c - cs + 1) % nconn;
      if (build_request(c, next) != 0) {
        fprintf(stderr, "rate_client: request too long\n");
        return 1;
      }
      c->scheduled = start + (double)next / rate;
      c->state = CONN_BUSY;
      c->in_len = 0;
      if (next_blocked) g_late++;
      next_blocked = 0;
      next++;
      g_sent++;
      send_some(c);
    }
    int busy = 0;
    for (int i = 0; i < nconn; i++) busy += cs[i].state == CONN_BUSY;
    if (next >= total && busy == 0) break;
    if (t >= drain_deadline) {
      fprintf(stderr, "rate_client: %d requests unanswered and %llu unsent %g s after the end\n",
              busy, total - next, DRAIN_SECONDS);
      g_errors += (unsigned long long)busy + (total - next);
      break;
    }

    /* Wait for the next due time (unless it is blocked), a response, or
     * writability of a request not fully sent. */
    double wake = drain_deadline;
    if (next < total && !next_blocked) {
      double due = start + (double)next / rate;
      if (due < wake) wake = due;
    }
    int np = 0;
    for (int i = 0; i < nconn; i++) {
      struct conn *c = &cs[i];
      if (c->fd < 0) continue;
      short ev = POLLIN;
      if (c->state == CONN_BUSY && c->req_off < c->req_len) ev |= POLLOUT;
      pfd[np].fd = c->fd;
      pfd[np].events = ev;
      pfd[np].revents = 0;
      np++;
    }
    double wait = wake - now_s();
    if (wait < 0) wait = 0;
    struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
    int rc = ppoll(pfd, (nfds_t)np, &ts, NULL);
    if (rc < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "rate_client: ppoll: %s\n", strerror(errno));
      return 1;
    }
    if (rc == 0) continue;
    for (int p = 0; p < np; p++) {
      if (!pfd[p].revents) continue;
      struct conn *c = NULL;
      for (int i = 0; i < nconn; i++) {
        if (cs[i].fd == pfd[p].fd) c = &cs[i];
      }
      if (!c) continue;
      if (c->state == CONN_BUSY && (pfd[p].revents & POLLOUT) && send_some(c) != 0) continue;
      if (pfd[p].revents & (POLLIN | POLLERR | POLLHUP)) read_some(c);
    }
  }

  for (int i = 0; i < nconn; i++) {
    close_conn(&cs[i]);
    free(cs[i].req);
    free(cs[i].in);
  }
  qsort(g_lat_ms, (size_t)g_lat_n, sizeof *g_lat_ms, cmp_double);
  printf("rate_client rate=%g seconds=%g sent=%llu ok=%llu non2xx=%llu errors=%llu late=%llu "
         "http_p50_ms=%.2f http_p99_ms=%.2f\n",
         rate, seconds, g_sent, g_ok, g_non2xx, g_errors, g_late,
         percentile(g_lat_ms, g_lat_n, 0.50), percentile(g_lat_ms, g_lat_n, 0.99));
  free(g_lat_ms);
  free(cs);
  free(pfd);
  return g_errors ? 1 : 0;
}
