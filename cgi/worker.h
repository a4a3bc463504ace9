// The process and thread model of scim-fcgi: a supervisor forks
// fcgi.processes children sharing one listening socket, each with
// fcgi.threads threads, each thread with its own DB session. SIGTERM or
// SIGINT lets in-flight requests finish, then everything exits 0.
#ifndef SCIM_CGI_WORKER_H_
#define SCIM_CGI_WORKER_H_

#include "common/config/config.h"

namespace scim::cgi {

// Opens the socket named by config.fcgi.socket ("/path" or "[host]:port").
// Returns the fd, or -1 with a message on stderr.
int OpenListenSocket(const config::FcgiConfig& config);

// Serves FastCGI on listen_fd until SIGTERM/SIGINT. Returns the exit code.
int RunFastCgi(const config::Config& config, int listen_fd);

// Serves exactly one CGI request from the environment and stdio.
int RunCgi(const config::Config& config);

}  // namespace scim::cgi

#endif  // SCIM_CGI_WORKER_H_
