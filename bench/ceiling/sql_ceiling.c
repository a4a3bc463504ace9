/* sql_ceiling: the SQL ceiling of this machine for the transaction that
 * scimsync's POST /Users does, without any SCIM work around it (see README.md
 * in this directory).
 *
 *   sql_ceiling SOCKET_PATH USER PASSWORD DB CLIENTS SECONDS [MODE]
 *
 * MODE post (default): per transaction, one bench_users INSERT and one
 * bench_queue INSERT, then COMMIT. MODE queue: only the bench_queue INSERT.
 * MODE scim: the statements of scimsync's own POST /Users transaction, on
 * its real tables and their indexes: scim_users (all columns), change_queue
 * (status 'done', so the daemon does not apply them) and audit_log; with
 * MODE post's ceiling it separates what the schema costs from what
 * scimsync's code costs.
 * MODE get: no transaction; one prepared point SELECT of a user's row by id
 * from scim_users (the load benchmark's ids b0000000-0000-4000-8000-<n>,
 * n random in 1..SQL_CEILING_USERS, default 100000), result fetched: the
 * SQL floor under every GET /Users/{id}.
 * CLIENTS threads, each on its own connection over the unix socket, run
 * transactions back to back for SECONDS seconds (prepared statements,
 * START TRANSACTION ... COMMIT, as an application does). Prints one line:
 *   sql_ceiling mode=post clients=16 seconds=10 tx=12345 tx_per_s=1234.5
 * counting transactions committed before the deadline. Exits 1 with a
 * message on stderr on any connection or SQL error.
 *
 * Build: gcc -O2 -Wall -Wextra -pthread bench/ceiling/sql_ceiling.c \
 *          $(pkg-config --cflags --libs libmariadb) -o build/bench/sql_ceiling
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char kCreateUsers[] =
    "CREATE TABLE IF NOT EXISTS bench_users ("
    " seq BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,"
    " id CHAR(36) NOT NULL UNIQUE,"
    " user_name VARCHAR(255) NOT NULL UNIQUE,"
    " attributes LONGTEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " created_ms BIGINT NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

static const char kCreateQueue[] =
    "CREATE TABLE IF NOT EXISTS bench_queue ("
    " id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,"
    " resource_id CHAR(36) NOT NULL,"
    " version BIGINT NOT NULL,"
    " payload LONGTEXT NOT NULL,"
    " created_at DATETIME(3) NOT NULL,"
    " KEY (resource_id, version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

static const char kInsertUser[] =
    "INSERT INTO bench_users (id, user_name, attributes, version, created_ms) "
    "VALUES (?,?,?,1,?)";
static const char kInsertQueue[] =
    "INSERT INTO bench_queue (resource_id, version, payload, created_at) "
    "VALUES (?,1,?,NOW(3))";

/* An enterprise user as an IdP sends it (RFC 7643), ~1.1 KB.
 * Arguments: id, userName, id, userName, employee number. */
static const char kAttributes[] =
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
    "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],"
    "\"id\":\"%s\",\"userName\":\"%s\",\"externalId\":\"ext-%s\","
    "\"name\":{\"familyName\":\"Jensen\","
    "\"givenName\":\"Barbara\",\"honorificPrefix\":\"Ms.\"},"
    "\"displayName\":\"Babs Jensen\","
    "\"title\":\"Tour Guide\",\"userType\":\"Employee\","
    "\"locale\":\"en-US\",\"timezone\":\"America/Los_Angeles\",\"active\":true,"
    "\"emails\":[{\"value\":\"%s\",\"type\":\"work\",\"primary\":true},"
    "{\"value\":\"babs@jensen.org\",\"type\":\"home\"}],"
    "\"phoneNumbers\":[{\"value\":\"555-555-5555\",\"type\":\"work\"}],"
    "\"addresses\":[{\"type\":\"work\",\"streetAddress\":\"100 Universal City Plaza\","
    "\"locality\":\"Hollywood\",\"region\":\"CA\",\"postalCode\":\"91608\",\"country\":\"USA\","
    "\"primary\":true}],"
    "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{"
    "\"employeeNumber\":\"%s\",\"costCenter\":\"4130\",\"organization\":\"Universal Studios\","
    "\"division\":\"Theme Park\",\"department\":\"Tour Operations\","
    "\"manager\":{\"value\":\"26118915-6090-4610-87e4-49d8ca9f808d\","
    "\"displayName\":\"John Smith\"}}}";

/* The change queue entry: the user's attributes wrapped (~1.2 KB). */
static const char kPayload[] =
    "{\"op\":\"upsert\",\"resourceType\":\"User\",\"id\":\"%s\",\"version\":1,"
    "\"attributes\":%s}";

static const char kSelectUser[] =
    "SELECT id, version, created_ms, last_modified_ms, attributes FROM scim_users WHERE id = ?";

static const char kInsertScimUser[] =
    "INSERT INTO scim_users (id, user_name, external_id, display_name, given_name, family_name, "
    "email, user_type, active, version, created_ms, last_modified_ms, attributes) "
    "VALUES (?,?,?,'Babs Jensen','Barbara','Jensen',?,NULL,1,1,?,?,?)";
static const char kInsertScimQueue[] =
    "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
    "created_at, next_attempt_at, done_at) VALUES ('User',?,1,'upsert',?,'done',NOW(3),NOW(3),NOW(3))";
static const char kInsertScimAudit[] =
    "INSERT INTO audit_log (at, actor, request_id, client, resource_type, resource_id, user_name, "
    "operation, changes, outcome, detail) VALUES (NOW(3),'bench','sql-ceiling','127.0.0.1','User',"
    "?,?,'create',?,'applied',NULL)";

enum mode { MODE_POST, MODE_QUEUE, MODE_GET, MODE_SCIM };

static const char *g_socket, *g_user, *g_password, *g_db;
static enum mode g_mode = MODE_POST;
static uint32_t g_run;              /* per-run random prefix of ids and userNames */
static pthread_barrier_t g_ready;   /* all clients connected and prepared */
static pthread_barrier_t g_go;      /* main has set the deadline */
static struct timespec g_deadline;  /* CLOCK_MONOTONIC */
static atomic_int g_failed;
static unsigned long g_users = 100000;  /* MODE_GET: ids 1..g_users exist */

struct client {
  pthread_t tid;
  unsigned index;
  unsigned long long committed;
};

static void fail(unsigned client, const char *what, const char *detail) {
  fprintf(stderr, "sql_ceiling: client %u: %s: %s\n", client, what, detail);
  atomic_store(&g_failed, 1);
}

static MYSQL *connect_db(unsigned client) {
  MYSQL *m = mysql_init(NULL);
  if (!m) {
    fail(client, "mysql_init", "out of memory");
    return NULL;
  }
  unsigned timeout = 10;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!mysql_real_connect(m, "localhost", g_user, g_password, g_db, 0, g_socket, 0)) {
    fail(client, "connect", mysql_error(m));
    mysql_close(m);
    return NULL;
  }
  return m;
}

static MYSQL_STMT *prepare(MYSQL *m, unsigned client, const char *sql) {
  MYSQL_STMT *st = mysql_stmt_init(m);
  if (!st) {
    fail(client, "mysql_stmt_init", mysql_error(m));
    return NULL;
  }
  if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
    fail(client, "prepare", mysql_stmt_error(st));
    mysql_stmt_close(st);
    return NULL;
  }
  return st;
}

static void bind_string(MYSQL_BIND *b, char *buf, unsigned long cap, unsigned long *len) {
  memset(b, 0, sizeof *b);
  b->buffer_type = MYSQL_TYPE_STRING;
  b->buffer = buf;
  b->buffer_length = cap;
  b->length = len;
}

static int run_sql(MYSQL *m, unsigned client, const char *sql) {
  if (mysql_real_query(m, sql, (unsigned long)strlen(sql)) != 0) {
    fail(client, sql, mysql_error(m));
    return -1;
  }
  return 0;
}

static int before(const struct timespec *a, const struct timespec *b) {
  return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* MODE_GET: point reads by id until the deadline. */
static void get_loop(struct client *c, MYSQL *m) {
  MYSQL_STMT *st = prepare(m, c->index, kSelectUser);
  if (!st) {
    pthread_barrier_wait(&g_ready);
    pthread_barrier_wait(&g_go);
    return;
  }
  char id[40], out_id[40], attrs[8192];
  unsigned long id_len = 0, out_id_len = 0, attrs_len = 0;
  long long version = 0, created = 0, modified = 0;
  MYSQL_BIND in, out[5];
  bind_string(&in, id, sizeof id, &id_len);
  bind_string(&out[0], out_id, sizeof out_id, &out_id_len);
  long long *nums[3] = {&version, &created, &modified};
  for (int i = 0; i < 3; i++) {
    memset(&out[1 + i], 0, sizeof out[1 + i]);
    out[1 + i].buffer_type = MYSQL_TYPE_LONGLONG;
    out[1 + i].buffer = nums[i];
  }
  bind_string(&out[4], attrs, sizeof attrs, &attrs_len);
  if (mysql_stmt_bind_param(st, &in) != 0 || mysql_stmt_bind_result(st, out) != 0) {
    fail(c->index, "bind", mysql_stmt_error(st));
  }
  unsigned seed = (unsigned)c->index * 2654435761u + g_run;
  pthread_barrier_wait(&g_ready);
  pthread_barrier_wait(&g_go);
  while (!atomic_load(&g_failed)) {
    unsigned long n = 1 + (unsigned long)rand_r(&seed) % g_users;
    id_len = (unsigned long)snprintf(id, sizeof id, "b0000000-0000-4000-8000-%012lu", n);
    if (mysql_stmt_execute(st) != 0) {
      fail(c->index, "SELECT FROM scim_users", mysql_stmt_error(st));
      break;
    }
    int rows = 0, rc;
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) rows++;
    if (rc == 1 || rows != 1) {
      fail(c->index, "SELECT FROM scim_users", rc == 1 ? mysql_stmt_error(st) : "no such user");
      break;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!before(&now, &g_deadline)) break;
    c->committed++;
  }
  mysql_stmt_close(st);
}

static void *client_main(void *arg) {
  struct client *c = arg;
  MYSQL *m = NULL;
  MYSQL_STMT *ins_user = NULL, *ins_queue = NULL;
  char id[40], user_name[128], employee[24], attrs[2048], payload[2304];
  unsigned long id_len = 0, user_name_len = 0, attrs_len = 0, payload_len = 0;
  long long created_ms = 0;
  MYSQL_BIND ub[7], qb[2], ab[3];
  char ext[64];
  unsigned long ext_len = 0;

  mysql_thread_init();
  m = connect_db(c->index);
  if (g_mode == MODE_GET) {
    if (m) {
      get_loop(c, m);
      mysql_close(m);
    } else {
      pthread_barrier_wait(&g_ready);
      pthread_barrier_wait(&g_go);
    }
    mysql_thread_end();
    return NULL;
  }
  MYSQL_STMT *ins_audit = NULL;
  int scim = g_mode == MODE_SCIM;
  if (m && (g_mode == MODE_POST || scim)) ins_user = prepare(m, c->index, scim ? kInsertScimUser : kInsertUser);
  if (m && (g_mode == MODE_QUEUE || ins_user)) ins_queue = prepare(m, c->index, scim ? kInsertScimQueue : kInsertQueue);
  if (m && scim && ins_queue) ins_audit = prepare(m, c->index, kInsertScimAudit);
  if (ins_user && scim) {
    /* id, userName, externalId, email, created, modified, attributes */
    bind_string(&ub[0], id, sizeof id, &id_len);
    bind_string(&ub[1], user_name, sizeof user_name, &user_name_len);
    bind_string(&ub[2], ext, sizeof ext, &ext_len);
    bind_string(&ub[3], user_name, sizeof user_name, &user_name_len);
    for (int i = 4; i < 6; i++) {
      memset(&ub[i], 0, sizeof ub[i]);
      ub[i].buffer_type = MYSQL_TYPE_LONGLONG;
      ub[i].buffer = &created_ms;
    }
    bind_string(&ub[6], attrs, sizeof attrs, &attrs_len);
    if (mysql_stmt_bind_param(ins_user, ub) != 0) fail(c->index, "bind", mysql_stmt_error(ins_user));
  } else if (ins_user) {
    bind_string(&ub[0], id, sizeof id, &id_len);
    bind_string(&ub[1], user_name, sizeof user_name, &user_name_len);
    bind_string(&ub[2], attrs, sizeof attrs, &attrs_len);
    memset(&ub[3], 0, sizeof ub[3]);
    ub[3].buffer_type = MYSQL_TYPE_LONGLONG;
    ub[3].buffer = &created_ms;
    if (mysql_stmt_bind_param(ins_user, ub) != 0) fail(c->index, "bind", mysql_stmt_error(ins_user));
  }
  if (ins_queue) {
    bind_string(&qb[0], id, sizeof id, &id_len);
    bind_string(&qb[1], payload, sizeof payload, &payload_len);
    if (mysql_stmt_bind_param(ins_queue, qb) != 0) fail(c->index, "bind", mysql_stmt_error(ins_queue));
  }
  if (ins_audit) {
    /* the audit diff of a create is about the size of the attributes */
    bind_string(&ab[0], id, sizeof id, &id_len);
    bind_string(&ab[1], user_name, sizeof user_name, &user_name_len);
    bind_string(&ab[2], attrs, sizeof attrs, &attrs_len);
    if (mysql_stmt_bind_param(ins_audit, ab) != 0) fail(c->index, "bind", mysql_stmt_error(ins_audit));
  }

  pthread_barrier_wait(&g_ready);
  pthread_barrier_wait(&g_go);

  for (unsigned long long n = 0; !atomic_load(&g_failed); n++) {
    id_len = (unsigned long)snprintf(id, sizeof id, "%08x-%04x-4000-8000-%012llx", g_run,
                                     c->index & 0xffffu, n & 0xffffffffffffULL);
    user_name_len = (unsigned long)snprintf(user_name, sizeof user_name,
                                            "bench.%08x.%u.%llu@example.com", g_run, c->index, n);
    snprintf(employee, sizeof employee, "%u%06llu", c->index, n % 1000000);
    int a = snprintf(attrs, sizeof attrs, kAttributes, id, user_name, id, user_name, employee);
    int p = snprintf(payload, sizeof payload, kPayload, id, attrs);
    if (a < 0 || (size_t)a >= sizeof attrs || p < 0 || (size_t)p >= sizeof payload) {
      fail(c->index, "build", "attributes or payload too long");
      break;
    }
    attrs_len = (unsigned long)a;
    ext_len = (unsigned long)snprintf(ext, sizeof ext, "ext-%08x-%u-%llu", g_run, c->index, n);
    payload_len = (unsigned long)p;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    created_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;

    if (run_sql(m, c->index, "START TRANSACTION") != 0) break;
    if (ins_user && mysql_stmt_execute(ins_user) != 0) {
      fail(c->index, "INSERT INTO bench_users", mysql_stmt_error(ins_user));
      break;
    }
    if (mysql_stmt_execute(ins_queue) != 0) {
      fail(c->index, "INSERT INTO bench_queue", mysql_stmt_error(ins_queue));
      break;
    }
    if (ins_audit && mysql_stmt_execute(ins_audit) != 0) {
      fail(c->index, "INSERT INTO audit_log", mysql_stmt_error(ins_audit));
      break;
    }
    if (run_sql(m, c->index, "COMMIT") != 0) break;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!before(&now, &g_deadline)) break;
    c->committed++;
  }

  if (ins_user) mysql_stmt_close(ins_user);
  if (ins_queue) mysql_stmt_close(ins_queue);
  if (ins_audit) mysql_stmt_close(ins_audit);
  if (m) mysql_close(m);
  mysql_thread_end();
  return NULL;
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

static int usage(void) {
  fprintf(stderr, "usage: sql_ceiling SOCKET_PATH USER PASSWORD DB CLIENTS SECONDS [post|queue|scim|get]\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8) return usage();
  g_socket = argv[1];
  g_user = argv[2];
  g_password = argv[3];
  g_db = argv[4];
  char *end = NULL;
  long clients = strtol(argv[5], &end, 10);
  if (*argv[5] == '\0' || *end != '\0' || clients < 1 || clients > 1024) {
    fprintf(stderr, "sql_ceiling: CLIENTS must be 1..1024, not '%s'\n", argv[5]);
    return 2;
  }
  double seconds = strtod(argv[6], &end);
  if (*argv[6] == '\0' || *end != '\0' || !(seconds > 0) || seconds > 86400) {
    fprintf(stderr, "sql_ceiling: SECONDS must be > 0, not '%s'\n", argv[6]);
    return 2;
  }
  const char *mode = argc == 8 ? argv[7] : "post";
  if (strcmp(mode, "post") == 0) {
    g_mode = MODE_POST;
  } else if (strcmp(mode, "queue") == 0) {
    g_mode = MODE_QUEUE;
  } else if (strcmp(mode, "scim") == 0) {
    g_mode = MODE_SCIM;
  } else if (strcmp(mode, "get") == 0) {
    g_mode = MODE_GET;
    const char *u = getenv("SQL_CEILING_USERS");
    if (u && *u) g_users = strtoul(u, NULL, 10);
    if (g_users == 0) g_users = 1;
  } else {
    fprintf(stderr, "sql_ceiling: MODE must be post, queue, scim or get, not '%s'\n", mode);
    return 2;
  }
  g_run = random_prefix();

  if (mysql_library_init(0, NULL, NULL) != 0) {
    fprintf(stderr, "sql_ceiling: mysql_library_init failed\n");
    return 1;
  }
  MYSQL *setup = connect_db(0);
  if (!setup) return 1;
  if (run_sql(setup, 0, kCreateUsers) != 0 || run_sql(setup, 0, kCreateQueue) != 0) {
    mysql_close(setup);
    return 1;
  }
  mysql_close(setup);

  struct client *cs = calloc((size_t)clients, sizeof *cs);
  if (!cs) return 1;
  pthread_barrier_init(&g_ready, NULL, (unsigned)clients + 1);
  pthread_barrier_init(&g_go, NULL, (unsigned)clients + 1);
  for (long i = 0; i < clients; i++) {
    cs[i].index = (unsigned)i;
    int rc = pthread_create(&cs[i].tid, NULL, client_main, &cs[i]);
    if (rc != 0) {
      fprintf(stderr, "sql_ceiling: pthread_create: %s\n", strerror(rc));
      return 1;
    }
  }
  pthread_barrier_wait(&g_ready);
  clock_gettime(CLOCK_MONOTONIC, &g_deadline);
  long long ns = (long long)(seconds * 1e9);
  g_deadline.tv_sec += (time_t)(ns / 1000000000LL);
  g_deadline.tv_nsec += (long)(ns % 1000000000LL);
  if (g_deadline.tv_nsec >= 1000000000L) {
    g_deadline.tv_sec++;
    g_deadline.tv_nsec -= 1000000000L;
  }
  pthread_barrier_wait(&g_go);

  unsigned long long tx = 0;
  for (long i = 0; i < clients; i++) {
    pthread_join(cs[i].tid, NULL);
    tx += cs[i].committed;
  }
  free(cs);
  mysql_library_end();
  if (atomic_load(&g_failed)) return 1;
  printf("sql_ceiling mode=%s clients=%ld seconds=%g tx=%llu tx_per_s=%.1f\n", mode, clients,
         seconds, tx, (double)tx / seconds);
  return 0;
}
