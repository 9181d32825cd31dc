package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// config says what to drive and how hard.
type config struct {
	Clients int
	Phase   time.Duration
	Rounds  int

	Bare, Crumb, Stats string // listener addresses
}

// A variant is one kind of visitor at one server.
type variant struct {
	Name   string
	Server string // "bare" or "crumb", the counter it reads
	Addr   string
	Cookie string // the Cookie header each request carries
}

// phaseResult is one variant driven for one phase.
type phaseResult struct {
	Requests  int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration
	CPU       time.Duration // server CPU during the phase
	ClientCPU time.Duration // the load generator's CPU during the phase
	Writes    int64         // server write calls during the phase
	Served    int64         // responses the server counted
}

func (p phaseResult) rate() float64 { return float64(p.Requests) / p.Elapsed.Seconds() }

// results are every phase of every variant, in variant order.
type results struct {
	Variants []variant
	Phases   [][]phaseResult // [variant][round]
}

// measure runs cfg.Rounds rounds; each round drives every variant once,
// in an order rotated per round so that no variant always follows another.
func measure(cfg config) (results, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.Clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	accepted, err := acceptAll(client, cfg.Crumb)
	if err != nil {
		return results{}, err
	}
	vs := []variant{
		{Name: "bare", Server: "bare", Addr: cfg.Bare},
		{Name: "crumb, undecided (banner)", Server: "crumb", Addr: cfg.Crumb},
		{Name: "crumb, accepted all", Server: "crumb", Addr: cfg.Crumb, Cookie: accepted},
	}
	res := results{Variants: vs, Phases: make([][]phaseResult, len(vs))}
	for _, v := range vs { // warm up: connections, pools, lazily built state
		if _, err := drive(client, v, cfg.Clients, cfg.Phase/4); err != nil {
			return res, err
		}
	}
	for round := range cfg.Rounds {
		for k := range vs {
			i := (k + round) % len(vs)
			before, err := fetchStats(client, cfg.Stats)
			if err != nil {
				return res, err
			}
			own := processCPU()
			p, err := drive(client, vs[i], cfg.Clients, cfg.Phase)
			if err != nil {
				return res, err
			}
			p.ClientCPU = processCPU() - own
			after, err := fetchStats(client, cfg.Stats)
			if err != nil {
				return res, err
			}
			p.CPU = after.CPU - before.CPU
			p.Writes = after.Count[vs[i].Server].Writes - before.Count[vs[i].Server].Writes
			p.Served = after.Count[vs[i].Server].Responses - before.Count[vs[i].Server].Responses
			res.Phases[i] = append(res.Phases[i], p)
		}
	}
	return res, nil
}

// acceptAll decides "accept all" through crumb's own form endpoint and
// returns the consent cookie as a Cookie header value.
func acceptAll(c *http.Client, addr string) (string, error) {
	form := url.Values{"action": {"accept"}, "return": {"/"}}
	req, err := http.NewRequest("POST", "http://"+addr+"/consent/decide", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://"+addr)
	c = &http.Client{Transport: c.Transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if strings.HasSuffix(ck.Name, "crumb_consent") {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("accepting gave %s and no consent cookie", res.Status)
}

// drive runs n clients against v for d, each sending one document request
// after another on its own keep-alive connection.
func drive(c *http.Client, v variant, n int, d time.Duration) (phaseResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	type clientResult struct {
		lat  []time.Duration
		errs int
		err  error
	}
	out := make([]clientResult, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Go(func() {
			r := &out[i]
			for ctx.Err() == nil {
				t0 := time.Now()
				ok, err := get(c, v)
				if err != nil {
					if ctx.Err() == nil {
						r.errs++
						if r.errs > 10 {
							r.err = err
							return
						}
					}
					continue
				}
				if ok {
					r.lat = append(r.lat, time.Since(t0))
				}
			}
		})
	}
	wg.Wait()
	p := phaseResult{Elapsed: time.Since(start)}
	for _, r := range out {
		if r.err != nil {
			return p, fmt.Errorf("%s: %w", v.Name, r.err)
		}
		p.Errors += r.errs
		p.Latencies = append(p.Latencies, r.lat...)
	}
	p.Requests = len(p.Latencies)
	return p, nil
}

func get(c *http.Client, v variant) (bool, error) {
	req, err := http.NewRequest("GET", "http://"+v.Addr+"/products", nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Sec-Fetch-Dest", "document")
	if v.Cookie != "" {
		req.Header.Set("Cookie", v.Cookie)
	}
	res, err := c.Do(req)
	if err != nil {
		return false, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil {
		return false, err
	}
	if res.StatusCode != http.StatusOK {
		return false, errors.New(res.Status)
	}
	return true, nil
}

// report prints one line per variant: the median round and the range, and
// every figure as a ratio to bare from the same rounds.
func report(w io.Writer, res results) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "variant\treq/s median\t(min-max)\tvs bare\tp50\tp99\twrites/resp\tCPU/req\tCPU vs bare\terrors\t")
	bare := summarise(res.Phases[0])
	for i, v := range res.Variants {
		s := summarise(res.Phases[i])
		fmt.Fprintf(tw, "%s\t%.0f\t(%.0f-%.0f)\t%.2fx\t%v\t%v\t%.2f\t%v\t%.2fx\t%d\t\n",
			v.Name, s.rate, s.minRate, s.maxRate, s.rate/bare.rate,
			s.p50.Round(time.Microsecond), s.p99.Round(time.Microsecond),
			s.writes, s.cpu.Round(100*time.Nanosecond), float64(s.cpu)/float64(bare.cpu), s.errors)
	}
	tw.Flush()
	budget(w, bare, res)
}

// budget says how much CPU crumb may add to a request for the issue's
// ratios, and how much it adds. Server and load generator share the
// machine's cores, so a CPU-bound run serves about cores / (server +
// client CPU per request): for req/s of ratio q to bare, crumb may add
// (1/q - 1) times bare's total. The ratios hold only when the run is CPU
// bound; the figures say what any implementation must fit in.
func budget(w io.Writer, bare summary, res results) {
	total := bare.cpu + bare.clientCPU
	fmt.Fprintf(w, "\nbare costs %v of CPU per request: %v serving, %v in the load generator\n",
		total.Round(100*time.Nanosecond), bare.cpu.Round(100*time.Nanosecond), bare.clientCPU.Round(100*time.Nanosecond))
	for _, q := range []float64{0.8, 0.9} {
		fmt.Fprintf(w, "for %.1fx bare, crumb may add %v per request\n", q, time.Duration(float64(total)*(1/q-1)).Round(100*time.Nanosecond))
	}
	for i, v := range res.Variants[1:] {
		s := summarise(res.Phases[i+1])
		fmt.Fprintf(w, "%s adds %v\n", v.Name, (s.cpu + s.clientCPU - total).Round(100*time.Nanosecond))
	}
}

type summary struct {
	rate, minRate, maxRate float64
	p50, p99               time.Duration
	writes                 float64
	cpu, clientCPU         time.Duration // per request
	errors                 int
}

func summarise(ps []phaseResult) summary {
	var s summary
	rates := make([]float64, len(ps))
	var lat []time.Duration
	var cpu, clientCPU time.Duration
	var writes, served int64
	for i, p := range ps {
		rates[i] = p.rate()
		lat = append(lat, p.Latencies...)
		cpu += p.CPU
		clientCPU += p.ClientCPU
		writes += p.Writes
		served += p.Served
		s.errors += p.Errors
	}
	slices.Sort(rates)
	slices.Sort(lat)
	if len(rates) > 0 {
		s.rate, s.minRate, s.maxRate = rates[len(rates)/2], rates[0], rates[len(rates)-1]
	}
	if len(lat) > 0 {
		s.p50, s.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	if served > 0 {
		s.writes = float64(writes) / float64(served)
		s.cpu = cpu / time.Duration(served)
		s.clientCPU = clientCPU / time.Duration(served)
	}
	return s
}
