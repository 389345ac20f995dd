# shellcheck shell=bash
# tests/lib/zk.bash -- run real ZooKeeper ensembles on loopback for zksh tests.
#
# Source this file (bats: `load '../lib/zk'`, scripts: `. tests/lib/zk.bash`).
# It starts Debian's ZooKeeper (QuorumPeerMain) directly with java so that we
# own the pid, each server in its own directory under $ZK_BASE:
#
#   $ZK_BASE/.zksh-zk          marker: only such dirs are ever rm -rf'ed
#   $ZK_BASE/members           ids the harness believes are voting members
#   $ZK_BASE/watchdog.pid      pid of the orphan-killer (see below)
#   $ZK_BASE/<id>/ports        client=, quorum=, election=, role= lines
#   $ZK_BASE/<id>/pid          pid of the JVM
#   $ZK_BASE/<id>/zoo.cfg      static config (ZooKeeper rewrites it on start)
#   $ZK_BASE/<id>/zookeeper.log, stdout.log, data/
#
# All state lives in those files, so every function works from any process
# that has ZK_BASE set (bats runs setup_file and each test in different
# processes; zkctl is yet another one).
#
# The library never sets traps: bats owns them. Use it like this:
#
#   setup_file()    { load '../lib/zk'; zk_start 3; }
#   teardown_file() { zk_stop_all; }
#
# If the run is interrupted before teardown_file, a watchdog process (one per
# ZK_BASE) notices that the owner pid ($ZK_OWNER_PID, default: $$ of the shell
# that called zk_start) is gone and kills the servers within ~1 s.
#
# API (IDs are 1..N; "prints" means stdout, diagnostics go to stderr):
#   zk_start N               start servers 1..N, wait for a leader and for all
#                            to serve; exports ZK_BASE, ZK_N, ZK_CONNECT
#   zk_start_joiner ID [M..] start non-member ID (config: members + itself),
#                            wait until it serves; prints its server string
#   zk_stop ID / zk_kill ID  SIGTERM (KILL after 10 s) / SIGKILL; wait for exit
#   zk_restart ID            stop if running, start with same dir/ports/config
#   zk_stop_all              stop everything of ZK_BASE incl. the watchdog,
#                            rm -rf ZK_BASE unless ZK_KEEP=1; idempotent
#   zk_client_port ID, zk_connect_of ID (127.0.0.1:port), zk_pid ID,
#   zk_server_string ID (server.ID=127.0.0.1:q:e:participant;127.0.0.1:c),
#   zk_dir ID, zk_log ID     accessors (print)
#   zk_alive ID              status only: is the JVM running
#   zk_4lw ID WORD, zk_srvr ID   print the four-letter-word answer
#   zk_mode ID               leader|follower|observer|standalone|looking|down
#   zk_leader                print the leader's id (fails if none)
#   zk_wait_leader [T], zk_wait_serving ID [T], zk_wait_ensemble [T]
#   zk_members, zk_connect   print recorded member ids / their connect string
#   zk_member_add ID, zk_member_remove ID   update that record after a
#                            reconfig (re-exports ZK_CONNECT, ZK_N)
#   zk_cli ARGS..., zk_cli_on ID ARGS..., zk_cli_super CMD...   zkCli.sh
#
# Tunables (environment):
#   ZK_BASE          base dir (default: mktemp -d /tmp/zksh-zk.XXXXXX)
#   ZK_KEEP=1        keep ZK_BASE after zk_stop_all (logs for post-mortem)
#   ZK_TICK          tickTime in ms (default 200)
#   ZK_EXTRA_CFG     lines appended to every zoo.cfg (later keys win)
#   ZK_JVM_OPTS      extra JVM options for the servers
#   ZK_START_TIMEOUT seconds to wait for a server/ensemble (default 60)
#   ZK_OWNER_PID     pid the watchdog follows (default $$)
#   ZK_WATCHDOG=0    do not start a watchdog
#   ZK_SUPER_AUTH    user:password of the ZooKeeper super user (default
#                    super:zksh, exported). reconfig needs it: with
#                    skipACL=no only the super user may write
#                    /zookeeper/config. Use `addauth digest $ZK_SUPER_AUTH`.
#   ZK_LOG_LEVEL     server log4j level (default INFO)
#   ZK_STOP_TIMEOUT  seconds between SIGTERM and SIGKILL (default 10)
#   ZK_CLI_RAW=1     zk_cli keeps zkCli's connection preamble
#   ZK_PORT_MIN/MAX  port range to pick from (default 20000..32000, i.e.
#                    below the kernel's ephemeral range so that outgoing
#                    connections can never squat on a stopped server's port)

ZK_JAVA=${ZK_JAVA:-java}
ZK_JAVA_DIR=${ZK_JAVA_DIR:-/usr/share/java}
ZK_CLI_SH=${ZK_CLI_SH:-/usr/share/zookeeper/bin/zkCli.sh}
export ZK_SUPER_AUTH=${ZK_SUPER_AUTH:-super:zksh}
_ZK_LIB_FILE=$(readlink -f "${BASH_SOURCE[0]}")

# ---------------------------------------------------------------- helpers --

_zk_err() { echo "zk.bash: $*" >&2; }

_zk_need_base() {
	if [[ -z ${ZK_BASE:-} || ! -e ${ZK_BASE}/.zksh-zk ]]; then
		_zk_err "ZK_BASE (${ZK_BASE:-unset}) is not a zk.bash base dir"
		return 1
	fi
}

# Ids of every server the harness created under ZK_BASE, ascending.
_zk_ids() {
	local d
	for d in "$ZK_BASE"/*/ports; do
		[[ -e $d ]] || continue
		d=${d%/ports}
		echo "${d##*/}"
	done | sort -n
}

# Runtime classpath. Debian's zookeeper.jar manifest already names most of
# its dependencies (commons-cli/io, jackson, jetty, metrics-core, netty,
# slf4j-api, snappy, zookeeper-jute); we list them explicitly anyway and add
# an slf4j binding (slf4j-log4j12 + log4j 1.2) that Debian's own zkEnv.sh
# leaves out -- without it the server logs nothing at all.
_zk_classpath() {
	local jars=(zookeeper zookeeper-jute slf4j-api slf4j-log4j12 log4j-1.2
		metrics-core snappy-java commons-cli commons-io
		jackson-core jackson-databind jackson-annotations
		netty-common netty-buffer netty-transport netty-handler
		netty-resolver netty-codec netty-transport-native-unix-common
		netty-transport-native-epoll)
	local cp="" j
	for j in "${jars[@]}"; do
		if [[ ! -e $ZK_JAVA_DIR/$j.jar ]]; then
			_zk_err "missing $ZK_JAVA_DIR/$j.jar (apt install zookeeper)"
			return 1
		fi
		cp+=${cp:+:}$ZK_JAVA_DIR/$j.jar
	done
	echo "$cp"
}

# Print COUNT distinct free loopback ports. Each candidate is bound (and held
# until all are found) so the list has no duplicates; ports recorded for
# servers of this base are skipped even when that server is down.
_zk_pick_ports() {
	local count=$1 used=()
	if [[ -n ${ZK_BASE:-} ]]; then
		mapfile -t used < <(cat "$ZK_BASE"/*/ports 2>/dev/null |
			sed -n 's/^\(client\|quorum\|election\)=//p')
	fi
	_zk_python - "$count" "${ZK_PORT_MIN:-20000}" "${ZK_PORT_MAX:-32000}" \
		"${used[@]}" <<-'EOF'
		import random, socket, sys
		count, lo, hi = (int(a) for a in sys.argv[1:4])
		skip = {int(p) for p in sys.argv[4:]}
		held, ports = [], []
		for _ in range(10000):
		    if len(ports) == count:
		        break
		    p = random.randrange(lo, hi)
		    if p in skip:
		        continue
		    skip.add(p)
		    s = socket.socket()
		    try:
		        s.bind(("127.0.0.1", p))
		    except OSError:
		        s.close()
		        continue
		    held.append(s)
		    ports.append(p)
		if len(ports) < count:
		    sys.exit("no free ports in range")
		print(" ".join(map(str, ports)))
	EOF
}

_zk_python() {
	local py=python3
	[[ -x /usr/bin/python3 ]] && py=/usr/bin/python3 # skip slow pyenv shims
	"$py" "$@"
}

# The digest form ZooKeeper wants for a user:password: base64(sha1(...)).
_zk_super_digest() {
	_zk_python -c 'import base64, hashlib, sys
u = sys.argv[1]
print(u.split(":")[0] + ":" +
      base64.b64encode(hashlib.sha1(u.encode()).digest()).decode())' "$1"
}

# Value of KEY (client|quorum|election|role) from server ID's ports file.
_zk_port() {
	local f="$ZK_BASE/$1/ports"
	if [[ ! -e $f ]]; then
		_zk_err "no server $1 under ${ZK_BASE:-unset}"
		return 1
	fi
	sed -n "s/^$2=//p" "$f"
}

# True if PID is a live (non-zombie) process.
_zk_pid_running() {
	local state
	[[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 1
	# A killed child of a shell that has not reaped it yet is a zombie and
	# still passes kill -0.
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ $state != Z && $state != X ]]
}

# True if PID is the running JVM of server ID of this base. Checking the
# command line protects against pid reuse after a server died.
_zk_pid_is_server() {
	local pid=$1 id=$2
	_zk_pid_running "$pid" || return 1
	tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null |
		grep -qxF -- "-Dzksh.dir=$ZK_BASE/$id"
}

# Wait up to $2 seconds for PID $1 to disappear.
_zk_wait_gone() {
	local pid=$1 deadline=$((SECONDS + $2))
	while _zk_pid_running "$pid"; do
		((SECONDS < deadline)) || return 1
		sleep 0.05
	done
}

# Close every fd above 2. Background JVMs and the watchdog must not keep
# bats' fd 3 (or any pipe of the caller) open, or bats / $(...) would wait
# for them forever.
_zk_close_fds() {
	local fd
	for fd in /proc/"$BASHPID"/fd/*; do
		fd=${fd##*/}
		# (the group keeps 2>/dev/null from becoming permanent)
		((fd > 2)) && { exec {fd}>&-; } 2>/dev/null
	done
	return 0
}

# Print the last lines of server ID's log to stderr (for failure messages).
_zk_log_tail() {
	local log="$ZK_BASE/$1/zookeeper.log"
	_zk_err "---- last lines of $log ----"
	tail -n "${2:-25}" "$log" >&2 2>/dev/null || true
	tail -n 5 "$ZK_BASE/$1/stdout.log" >&2 2>/dev/null || true
	_zk_err "---- end of $log ----"
}

# --------------------------------------------------------------- accessors --

zk_client_port() { _zk_port "$1" client; }
zk_connect_of() { local p; p=$(zk_client_port "$1") && echo "127.0.0.1:$p"; }
zk_dir() { echo "$ZK_BASE/$1"; }
zk_log() { echo "$ZK_BASE/$1/zookeeper.log"; }

# The server's line in dynamic-config syntax, as `reconfig -add` wants it.
zk_server_string() {
	local c q e r
	c=$(_zk_port "$1" client) && q=$(_zk_port "$1" quorum) &&
		e=$(_zk_port "$1" election) && r=$(_zk_port "$1" role) || return 1
	echo "server.$1=127.0.0.1:$q:$e:${r:-participant};127.0.0.1:$c"
}

# Recorded pid of server ID (printed even if that process has exited).
zk_pid() {
	local f="$ZK_BASE/$1/pid"
	[[ -s $f ]] || return 1
	cat "$f"
}

# True if server ID's JVM is running.
zk_alive() {
	local pid
	pid=$(zk_pid "$1" 2>/dev/null) && _zk_pid_is_server "$pid" "$1"
}

# -------------------------------------------------------------- membership --

# Ids the harness records as ensemble members, one per line.
zk_members() { cat "$ZK_BASE/members" 2>/dev/null; }

# Connect string of all members (alive or not: clients should see the same
# server list a real deployment would, including dead servers).
zk_connect() {
	local id out=""
	for id in $(zk_members); do
		out+=${out:+,}$(zk_connect_of "$id") || return 1
	done
	echo "$out"
}

_zk_set_members() {
	printf '%s\n' "$@" | sort -nu | sed '/^$/d' >"$ZK_BASE/members"
	ZK_CONNECT=$(zk_connect)
	ZK_N=$(zk_members | wc -l)
	export ZK_CONNECT ZK_N
}

# Record that server ID joined / left (call after a successful reconfig).
# Updates ZK_CONNECT and ZK_N in the calling shell.
zk_member_add() {
	local ids
	mapfile -t ids < <(zk_members)
	_zk_set_members "${ids[@]}" "$1"
}
zk_member_remove() {
	local ids
	mapfile -t ids < <(zk_members | grep -vx -- "$1")
	_zk_set_members "${ids[@]}"
}

# ------------------------------------------------------------ four letters --

# Send a four-letter word to server ID and print the reply. Fails if the port
# does not answer. timeout(1) guards against a stopped (SIGSTOP) server.
zk_4lw() {
	local port
	port=$(zk_client_port "$1") || return 1
	# shellcheck disable=SC2016 # $0/$1 belong to the inner bash
	timeout "${ZK_4LW_TIMEOUT:-5}" "$BASH" -c '
		exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
		printf %s "$1" >&3
		cat <&3' "$port" "$2" 2>/dev/null
}

zk_srvr() { zk_4lw "$1" srvr; }

# leader|follower|observer|standalone, `looking` if the server answers but
# is not serving (no quorum yet), `down` if nothing answers.
zk_mode() {
	local out
	if ! out=$(zk_srvr "$1") || [[ -z $out ]]; then
		echo down
		return 0
	fi
	if [[ $out =~ Mode:\ ([a-z]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo looking
	fi
}

# Id of the current leader among the servers of this base; fails if none.
zk_leader() {
	local id
	for id in $(_zk_ids); do
		zk_alive "$id" || continue
		if [[ $(zk_mode "$id") == leader ]]; then
			echo "$id"
			return 0
		fi
	done
	return 1
}

# Wait until some server is leader and print its id.
zk_wait_leader() {
	local deadline=$((SECONDS + ${1:-${ZK_START_TIMEOUT:-60}}))
	until zk_leader; do
		if ((SECONDS >= deadline)); then
			_zk_err "no leader after ${1:-${ZK_START_TIMEOUT:-60}} s (logs: $ZK_BASE/*/zookeeper.log)"
			return 1
		fi
		sleep 0.1
	done
}

# Wait until server ID serves clients (mode leader/follower/observer).
zk_wait_serving() {
	local id=$1 timeout=${2:-${ZK_START_TIMEOUT:-60}} deadline mode=down
	((timeout > 0)) || timeout=1 # callers pass what is left of a deadline
	deadline=$((SECONDS + timeout))
	while ((SECONDS < deadline)); do
		if ! zk_alive "$id"; then
			_zk_err "server $id exited during startup; see $(zk_log "$id")"
			_zk_log_tail "$id"
			return 1
		fi
		mode=$(zk_mode "$id")
		case $mode in leader | follower | observer | standalone) return 0 ;; esac
		sleep 0.1
	done
	_zk_err "server $id not serving after $timeout s (mode: $mode); see $(zk_log "$id")"
	_zk_log_tail "$id"
	return 1
}

# Wait until every live member serves and there is a leader.
zk_wait_ensemble() {
	local timeout=${1:-${ZK_START_TIMEOUT:-60}} start=$SECONDS id
	for id in $(zk_members); do
		zk_alive "$id" || continue
		zk_wait_serving "$id" $((timeout - (SECONDS - start))) || return 1
	done
	zk_wait_leader $((timeout - (SECONDS - start))) >/dev/null
}

# ------------------------------------------------------------ configuration --

# Write zoo.cfg, zoo.cfg.dynamic, myid and log4j.properties for server ID
# whose initial view of the ensemble is the servers MEMBER_IDS...
_zk_write_config() {
	local id=$1 dir="$ZK_BASE/$1" m digest
	shift
	digest=$(_zk_super_digest "$ZK_SUPER_AUTH") || return 1
	mkdir -p "$dir/data"
	echo "$id" >"$dir/data/myid"
	for m in "$@"; do
		zk_server_string "$m" || return 1
	done >"$dir/zoo.cfg.dynamic"
	# Unknown keys become zookeeper.<key> system properties, which is how
	# 4lw.commands.whitelist, admin.enableServer, skipACL, forceSync and the
	# super digest work.
	# forceSync=no: no fsync per write (tests and bench are not about disk
	# durability; a SIGKILLed JVM loses nothing the page cache holds).
	cat >"$dir/zoo.cfg" <<-EOF
		tickTime=${ZK_TICK:-200}
		initLimit=10
		syncLimit=5
		maxSessionTimeout=60000
		dataDir=$dir/data
		reconfigEnabled=true
		standaloneEnabled=false
		dynamicConfigFile=$dir/zoo.cfg.dynamic
		4lw.commands.whitelist=*
		admin.enableServer=false
		skipACL=no
		forceSync=no
		DigestAuthenticationProvider.superDigest=$digest
		${ZK_EXTRA_CFG:-}
	EOF
	cat >"$dir/log4j.properties" <<-EOF
		log4j.rootLogger=${ZK_LOG_LEVEL:-INFO}, FILE
		log4j.appender.FILE=org.apache.log4j.FileAppender
		log4j.appender.FILE.File=$dir/zookeeper.log
		log4j.appender.FILE.layout=org.apache.log4j.PatternLayout
		log4j.appender.FILE.layout.ConversionPattern=%d{ISO8601} [myid:$id] %-5p [%t:%C{1}@%L] - %m%n
	EOF
}

# Create server ID's dir with fresh ports. ROLE: participant|observer.
_zk_alloc_server() {
	local id=$1 role=${2:-participant} ports
	read -ra ports < <(_zk_pick_ports 3)
	((${#ports[@]} == 3)) || return 1
	mkdir -p "$ZK_BASE/$id"
	printf 'client=%s\nquorum=%s\nelection=%s\nrole=%s\n' \
		"${ports[@]}" "$role" >"$ZK_BASE/$id/ports"
}

# Start the JVM of server ID (config must exist) and record its pid.
_zk_launch() {
	local id=$1 dir="$ZK_BASE/$1" cp
	cp=$(_zk_classpath) || return 1
	if zk_alive "$id"; then
		_zk_err "server $id already running (pid $(zk_pid "$id"))"
		return 1
	fi
	# Serial GC and a small heap start fastest. -Dzksh.dir tags the process
	# so that kills can verify the pid really is ours.
	# shellcheck disable=SC2086 # ZK_JVM_OPTS is a word list on purpose
	(
		_zk_close_fds
		exec "$ZK_JAVA" "-Dzksh.dir=$dir" -Xmx256m -Xms64m -XX:+UseSerialGC \
			-XX:-UsePerfData -Djava.net.preferIPv4Stack=true \
			"-Dzookeeper.log.dir=$dir" \
			"-Dlog4j.configuration=file:$dir/log4j.properties" \
			-Dzookeeper.jmx.log4j.disable=true ${ZK_JVM_OPTS:-} \
			-cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain \
			"$dir/zoo.cfg"
	) </dev/null >>"$dir/stdout.log" 2>&1 &
	local pid=$!
	_zk_forget_job "$pid"
	echo "$pid" >"$dir/pid"
	# $! is the subshell until it has exec'ed java; until then the command
	# line check in zk_alive would call the server dead.
	local deadline=$((SECONDS + 10))
	until _zk_pid_is_server "$pid" "$id"; do
		_zk_pid_running "$pid" || break
		((SECONDS < deadline)) || break
		sleep 0.01
	done
}

# Drop a background job from the job table so that the shell does not print
# "Killed ..." when we SIGKILL it later (bats would show that line).
_zk_forget_job() { disown "$1" 2>/dev/null || true; }

# ----------------------------------------------------------------- watchdog --

# One watchdog per ZK_BASE: a separate bash process (this file run as a
# script) whose command line names ZK_BASE, so we can tell it apart.
_zk_watchdog_start() {
	[[ ${ZK_WATCHDOG:-1} == 1 ]] || return 0
	local owner=${ZK_OWNER_PID:-$$} pid
	pid=$(cat "$ZK_BASE/watchdog.pid" 2>/dev/null) || true
	_zk_watchdog_is "$pid" && return 0
	(
		_zk_close_fds
		exec "$BASH" "$_ZK_LIB_FILE" __watchdog "$owner" "$ZK_BASE"
	) </dev/null >/dev/null 2>&1 &
	pid=$!
	_zk_forget_job "$pid"
	echo "$pid" >"$ZK_BASE/watchdog.pid"
	# Wait for the exec, so that _zk_watchdog_is recognises it from now on.
	local deadline=$((SECONDS + 10))
	until _zk_watchdog_is "$pid"; do
		_zk_pid_running "$pid" || break
		((SECONDS < deadline)) || break
		sleep 0.01
	done
}

_zk_watchdog_is() {
	_zk_pid_running "$1" &&
		tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "$ZK_BASE"
}

_zk_watchdog_stop() {
	local pid
	pid=$(cat "$ZK_BASE/watchdog.pid" 2>/dev/null) || true
	[[ $pid == "${_ZK_WATCHDOG_SELF:-}" ]] && return 0
	if _zk_watchdog_is "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		_zk_wait_gone "$pid" 5 || true
	fi
	rm -f "$ZK_BASE/watchdog.pid"
}

# Body of the watchdog process.
_zk_watchdog_main() {
	local owner=$1
	ZK_BASE=$2
	_ZK_WATCHDOG_SELF=$$
	# The Ctrl-C or hangup that ends the owner must not end us before we
	# have cleaned up. SIGTERM (from zk_stop_all) still ends us.
	trap '' INT HUP
	while [[ -e $ZK_BASE/.zksh-zk ]] && _zk_pid_running "$owner"; do
		sleep 1
	done
	[[ -e $ZK_BASE/.zksh-zk ]] && zk_stop_all
	exit 0
}

# ------------------------------------------------------------ lifecycle API --

# zk_start N: start servers 1..N as one ensemble and wait until it serves.
# Exports ZK_BASE, ZK_N, ZK_CONNECT.
zk_start() {
	local n=${1:?usage: zk_start N} id
	[[ $n =~ ^[1-9][0-9]*$ ]] || {
		_zk_err "zk_start: bad N '$n'"
		return 1
	}
	_zk_classpath >/dev/null || return 1
	_zk_init_base || return 1
	for ((id = 1; id <= n; id++)); do
		_zk_alloc_server "$id" || return 1
	done
	local members
	mapfile -t members < <(seq 1 "$n")
	_zk_set_members "${members[@]}"
	for ((id = 1; id <= n; id++)); do
		_zk_write_config "$id" "${members[@]}" || return 1
	done
	_zk_watchdog_start
	for ((id = 1; id <= n; id++)); do
		_zk_launch "$id" || return 1
	done
	export ZK_BASE
	# Every member must come up (zk_wait_ensemble would skip dead ones).
	local timeout=${ZK_START_TIMEOUT:-60} start=$SECONDS
	for ((id = 1; id <= n; id++)); do
		zk_wait_serving "$id" $((timeout - (SECONDS - start))) || break
	done
	if ((id <= n)) || ! zk_wait_leader $((timeout - (SECONDS - start))) >/dev/null; then
		_zk_err "ensemble under $ZK_BASE did not come up; killed it (logs kept until zk_stop_all)"
		_zk_kill_all KILL
		return 1
	fi
}

# Create (or reuse) ZK_BASE. Refuses a base that still has live servers.
_zk_init_base() {
	if [[ -z ${ZK_BASE:-} ]]; then
		ZK_BASE=$(mktemp -d /tmp/zksh-zk.XXXXXX) || return 1
	fi
	mkdir -p "$ZK_BASE" && ZK_BASE=$(cd "$ZK_BASE" && pwd -P) || return 1
	export ZK_BASE
	if [[ -e $ZK_BASE/.zksh-zk ]]; then
		local id
		for id in $(_zk_ids); do
			if zk_alive "$id"; then
				_zk_err "$ZK_BASE still has running server $id; zk_stop_all first"
				return 1
			fi
			rm -rf "${ZK_BASE:?}/$id"
		done
	elif [[ -n $(ls -A "$ZK_BASE") ]]; then
		_zk_err "$ZK_BASE is not empty and not a zk.bash base dir"
		return 1
	fi
	touch "$ZK_BASE/.zksh-zk"
}

# zk_start_joiner ID [MEMBER_ID...]: start server ID, not yet a member, whose
# initial config is the members (default: $ZK_BASE/members) plus itself, as
# the reconfig docs require. Set ZK_JOIN_ROLE=observer for an observer.
# Prints its server string, ready for `reconfig -add`.
zk_start_joiner() {
	local id=${1:?usage: zk_start_joiner ID [MEMBER_ID...]}
	shift
	_zk_need_base || return 1
	local members=("$@")
	((${#members[@]})) || mapfile -t members < <(zk_members)
	if zk_alive "$id"; then
		_zk_err "server $id already running"
		return 1
	fi
	rm -rf "${ZK_BASE:?}/$id"
	_zk_alloc_server "$id" "${ZK_JOIN_ROLE:-participant}" || return 1
	_zk_write_config "$id" "${members[@]}" "$id" || return 1
	_zk_watchdog_start
	_zk_launch "$id" || return 1
	# Before the reconfig a joining participant syncs with the leader as a
	# non-voting follower (srvr says "Mode: follower"); wait for that.
	zk_wait_serving "$id" || return 1
	zk_server_string "$id"
}

# Send SIG to every running server of this base, wait, then SIGKILL the rest.
_zk_kill_all() {
	local sig=$1 id pids=() pid
	for id in $(_zk_ids); do
		zk_alive "$id" || continue
		pid=$(zk_pid "$id")
		kill -"$sig" "$pid" 2>/dev/null || true
		pids+=("$pid")
	done
	for pid in "${pids[@]}"; do
		_zk_wait_gone "$pid" "${ZK_STOP_TIMEOUT:-10}" && continue
		kill -KILL "$pid" 2>/dev/null || true
		_zk_wait_gone "$pid" 10 || _zk_err "pid $pid does not die"
	done
	return 0
}

# Send SIG to server ID and wait for it to exit.
_zk_signal() {
	local sig=$1 id=$2 pid
	_zk_need_base || return 1
	pid=$(zk_pid "$id") || {
		_zk_err "server $id was never started"
		return 1
	}
	zk_alive "$id" || return 0
	kill -"$sig" "$pid" 2>/dev/null || true
	_zk_wait_gone "$pid" "${ZK_STOP_TIMEOUT:-10}" && return 0
	kill -KILL "$pid" 2>/dev/null || true
	_zk_wait_gone "$pid" 10 || {
		_zk_err "server $id (pid $pid) does not die"
		return 1
	}
}

zk_kill() { _zk_signal KILL "${1:?usage: zk_kill ID}"; }
zk_stop() { _zk_signal TERM "${1:?usage: zk_stop ID}"; }

# Start server ID again with the same dir, ports and (ZooKeeper-rewritten)
# config, and wait until it serves.
zk_restart() {
	local id=${1:?usage: zk_restart ID}
	zk_stop "$id" || return 1
	_zk_watchdog_start
	_zk_launch "$id" || return 1
	zk_wait_serving "$id"
}

# Stop every server and the watchdog of ZK_BASE, then remove ZK_BASE unless
# ZK_KEEP=1. Safe to call repeatedly and when nothing was started.
zk_stop_all() {
	[[ -n ${ZK_BASE:-} && -e $ZK_BASE/.zksh-zk ]] || return 0
	_zk_watchdog_stop
	_zk_kill_all TERM
	if [[ ${ZK_KEEP:-0} != 1 ]]; then
		rm -rf "${ZK_BASE:?}"
	fi
	return 0
}

# ---------------------------------------------------------------- zkCli.sh --

# zk_cli ARGS...: Debian's zkCli.sh against $ZK_CONNECT (or the members).
# Debian runs it without an slf4j binding, so its only log noise is slf4j's
# "no binding" warning on stderr; those SLF4J: lines are dropped. ZooKeeperMain
# also prints a connection preamble on stdout ("Connecting to ...", the
# SyncConnected WATCHER event); that is dropped too unless ZK_CLI_RAW=1.
# Everything else (results on stdout, most messages such as "Created /x" or
# "Node does not exist" on stderr) is kept. Exit status is zkCli's.
zk_cli() {
	local connect=${ZK_CONNECT:-}
	[[ -n $connect ]] || connect=$(zk_connect) || return 1
	(
		"$ZK_CLI_SH" -server "$connect" "$@" 2>&1 >&3 3>&- |
			{ grep -v '^SLF4J:' >&2 || true; }
		exit "${PIPESTATUS[0]}"
	) 3>&1 | _zk_cli_strip
	return "${PIPESTATUS[0]}"
}

# Drop ZooKeeperMain's connection preamble from stdout: the leading
# "Connecting to" line and the SyncConnected/None event with its "WATCHER::"
# header and blank lines. Other watch events are kept.
_zk_cli_strip() {
	if [[ ${ZK_CLI_RAW:-0} == 1 ]]; then
		cat
		return 0
	fi
	awk '
		NR == 1 && /^Connecting to / { next }
		/^Welcome to ZooKeeper!$/ || /^JLine support is disabled$/ { next }
		/^$/ { blanks++; next }
		/^WATCHER::$/ || /^WatchedEvent state:SyncConnected type:None path:null/ {
			blanks = 0; next
		}
		{ while (blanks > 0) { print ""; blanks-- } print }
		END { while (blanks > 0) { print ""; blanks-- } }'
}

# zk_cli_on ID ARGS...: same, against server ID only.
zk_cli_on() {
	local id=${1:?usage: zk_cli_on ID ARGS...}
	shift
	local connect
	connect=$(zk_connect_of "$id") || return 1
	ZK_CONNECT=$connect zk_cli "$@"
}

# zk_cli_super WORDS...: run one zkCli command as the super user (needed for
# reconfig). zkCli cannot take addauth on its command line, so both lines
# go through its stdin; WORDS are joined with spaces into one command line.
zk_cli_super() {
	printf 'addauth digest %s\n%s\n' "$ZK_SUPER_AUTH" "$*" | zk_cli
}

# ------------------------------------------------------------------ script --

if [[ ${BASH_SOURCE[0]} == "$0" && ${1:-} == __watchdog ]]; then
	_zk_watchdog_main "$2" "$3"
fi
