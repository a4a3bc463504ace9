# Sourced by scripts/stack.sh, scripts/galera.sh and scripts/test.sh: the
# checks they share on processes (by PID, never by name) and ports.

# A process that has exited but is not reaped yet (a zombie: the init of
# some containers reaps slowly) counts as stopped.
proc_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
pid_alive() { [[ -f "$1" ]] && proc_alive "$(cat "$1")"; }

# Something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
