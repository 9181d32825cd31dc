package pgstore_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A cluster is a throw-away PostgreSQL server: initdb in a temporary
// directory, listening only on a Unix socket in it, stopped and removed
// when the tests end. As root (as CI runs) the server runs as the
// postgres user, since PostgreSQL refuses to run as root.
type cluster struct {
	bin, dir, data string
	cred           *syscall.Credential
}

// The environment:
//
//	CRUMB_PG           a connection string: use that database, start nothing
//	                   (the fault test, which stops the server, is skipped)
//	CRUMB_PG_REQUIRED  fail, rather than skip, when no PostgreSQL is found
//	                   (.ci/run sets it)
var shared struct {
	once sync.Once
	c    *cluster
	err  error
	n    atomic.Int32
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.c != nil {
		shared.c.destroy()
	}
	os.Exit(code)
}

// findBin returns the directory of initdb, pg_ctl and postgres: from
// PATH, else the newest /usr/lib/postgresql/<version>/bin (Debian's
// layout, not on PATH).
func findBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(a))))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(b))))
		return va - vb
	})
	if len(dirs) == 0 {
		return ""
	}
	return filepath.Dir(dirs[len(dirs)-1])
}

// server returns the shared cluster, starting it on first use, or skips
// the test (fails under CRUMB_PG_REQUIRED) without PostgreSQL.
func server(t testing.TB) *cluster {
	t.Helper()
	shared.once.Do(func() {
		bin := findBin()
		if bin == "" {
			shared.err = fmt.Errorf("no PostgreSQL binaries (initdb) on PATH or in /usr/lib/postgresql/*/bin, " +
				"and CRUMB_PG is unset: install Debian's postgresql package (pgstore/.ci-setup does) or set CRUMB_PG")
			return
		}
		shared.c, shared.err = newCluster(bin)
	})
	if shared.err != nil {
		if os.Getenv("CRUMB_PG_REQUIRED") != "" {
			t.Fatal(shared.err)
		}
		t.Skip(shared.err)
	}
	return shared.c
}

func newCluster(bin string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "crumb-pg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs a postgres user to run the server as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := c.run("initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := c.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

func (c *cluster) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out.Bytes())
	}
	return nil
}

// start starts the server on a socket in the cluster's directory, no TCP,
// fsync off (a test cluster), and waits until it accepts connections.
func (c *cluster) start() error {
	return c.run("pg_ctl", "-D", c.data, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60",
		"-o", "-k "+c.dir+" -c listen_addresses= -p 5432 -F", "start")
}

// stop stops the server: fast, so that open connections are cut as in an
// outage.
func (c *cluster) stop() error { return c.run("pg_ctl", "-D", c.data, "-m", "fast", "-w", "stop") }

func (c *cluster) destroy() {
	c.run("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func (c *cluster) conn(db string) string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", c.dir, db)
}

// database returns the connection string of a new, empty database.
func database(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv("CRUMB_PG"); dsn != "" {
		return freshSchema(t, dsn)
	}
	c := server(t)
	name := fmt.Sprintf("crumb_test_%d", shared.n.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.conn("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return c.conn(name)
}

// freshSchema empties an operator-given database's crumb tables.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS crumb_consent_records, crumb_schema"); err != nil {
		t.Fatal(err)
	}
	return dsn
}
