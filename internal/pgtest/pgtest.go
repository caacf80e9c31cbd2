// Package pgtest runs a private PostgreSQL server for a test that must stop
// and start its database — which the shared server of OPENCREDIT_TEST_POSTGRES
// must never be, other packages' tests using it at the same time. It uses
// the machine's own PostgreSQL binaries (Debian's /usr/lib/postgresql/N/bin),
// as the postgres user when the test runs as root, since initdb refuses root.
package pgtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Server is a private PostgreSQL server.
type Server struct {
	DSN  string
	bin  string
	data string
	port int
	t    testing.TB
}

// Start initialises and starts a server in a fresh directory, stopped when
// the test ends. It skips the test, saying why, when the binaries are not
// there or OPENCREDIT_TEST_POSTGRES is not set (the PostgreSQL tests' switch).
func Start(t testing.TB) *Server {
	t.Helper()
	if os.Getenv("OPENCREDIT_TEST_POSTGRES") == "" {
		t.Skip("set OPENCREDIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the tests that restart a private PostgreSQL")
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian's postgresql package)")
	}
	s := &Server{bin: filepath.Dir(bins[len(bins)-1]), t: t}
	dir, err := os.MkdirTemp("", "opencredit-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s.data = filepath.Join(dir, "data")
	if err := os.Mkdir(s.data, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root without a postgres user to run the private server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, s.data} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	s.run("initdb", "-D", s.data, "-A", "trust", "-U", "postgres", "--no-sync")
	s.Start()
	t.Cleanup(func() {
		// Stopped already, or not: either way the directory goes.
		exec.Command("runuser", "-u", "postgres", "--", filepath.Join(s.bin, "pg_ctl"), "-D", s.data, "stop", "-m", "immediate").Run()
		exec.Command(filepath.Join(s.bin, "pg_ctl"), "-D", s.data, "stop", "-m", "immediate").Run()
	})
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
	return s
}

// Start starts the server (again) and waits until it accepts connections.
func (s *Server) Start() {
	s.t.Helper()
	s.pgctl("start", "-w", "-t", "30", "-l", filepath.Join(filepath.Dir(s.data), "log"),
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", s.port, filepath.Dir(s.data)))
}

// Stop stops the server at once, as a crash would (immediate mode: no
// checkpoint, every connection cut).
func (s *Server) Stop() {
	s.t.Helper()
	s.pgctl("stop", "-w", "-m", "immediate")
}

func (s *Server) pgctl(args ...string) {
	s.t.Helper()
	s.run("pg_ctl", append([]string{"-D", s.data}, args...)...)
}

func (s *Server) run(name string, args ...string) {
	s.t.Helper()
	path := filepath.Join(s.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			s.t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		s.t.Fatalf("%s %v: no answer in 60 s\n%s", name, args, out.String())
	}
}
