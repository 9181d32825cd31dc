// Command load measures what crumb costs a real page end to end: it serves
// a page of about 30 KB with the demo's tracker tags bare and through
// crumb, on loopback, and drives both with keep-alive clients in
// interleaved phases (bare, an undecided visitor who gets the banner, a
// visitor who accepted everything), so that a noisy shared machine slows
// every variant alike.
//
//	cd examples/load                # a module of its own
//	go run .                        # 5 rounds of 3 s phases, 32 clients
//	go run . -rounds 3 -phase 1s    # quicker
//	go run . -cpuprofile cpu.out    # and profile the serving process
//
// The server runs in a child process of its own, so that its CPU time per
// request is measured apart from the load generator's, and its sockets
// count their writes, so that write syscalls per response are the server's.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"strings"
)

func main() {
	serve := flag.Bool("serve", false, "internal: run the servers and print their addresses")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the serving process to this file")
	size := flag.Int("size", 30_000, "page size in bytes")
	cfg := config{}
	flag.IntVar(&cfg.Clients, "clients", 32, "concurrent keep-alive clients")
	flag.DurationVar(&cfg.Phase, "phase", 3e9, "length of one phase")
	flag.IntVar(&cfg.Rounds, "rounds", 5, "rounds of interleaved phases")
	flag.Parse()

	if *serve {
		if err := serveProfiled(*size, *profile); err != nil {
			fmt.Fprintln(os.Stderr, "load -serve:", err)
			os.Exit(1)
		}
		return
	}
	if err := runParent(*size, *profile, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// serveProfiled is runServer under a CPU profile written to profile, if
// one is named.
func serveProfiled(size int, profile string) error {
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	return runServer(size, os.Stdin, os.Stdout)
}

// runServer serves until its standard input closes (the parent exited).
func runServer(size int, in io.Reader, out io.Writer) error {
	key := make([]byte, 32)
	rand.Read(key)
	s, err := newServers(Page(size), key)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, s.addrs())
	io.Copy(io.Discard, in)
	return nil
}

// runParent starts the serving child and measures it.
func runParent(size int, profile string, cfg config, out io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve", fmt.Sprintf("-size=%d", size), "-cpuprofile="+profile)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("server did not start: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		return errors.New("server printed " + line)
	}
	cfg.Bare, cfg.Crumb, cfg.Stats = f[0], f[1], f[2]
	fmt.Fprintf(out, "page %d B, %d clients, %d rounds of %v phases, server pid %d, run %s\n",
		size, cfg.Clients, cfg.Rounds, cfg.Phase, cmd.Process.Pid, runID())
	res, err := measure(cfg)
	if err != nil {
		return err
	}
	report(out, res)
	return nil
}

func runID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
