package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/decision"
)

// TestDemo runs the demo on a small population and follows its printed
// instructions as a newcomer would: a score with reasons, a decision, the
// person's own data; then stops it and verifies the audit log it wrote.
func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pf simFlags
	pf.cfg.Subjects, pf.cfg.Months, pf.cfg.Seed = 1500, 24, 3
	stdout := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, pf, kindScorecard, dir, "127.0.0.1:0", stdout, io.Discard) }()

	env := map[string]string{}
	deadline := time.Now().Add(2 * time.Minute)
	for len(env) == 0 {
		select {
		case err := <-done:
			t.Fatalf("demo ended before serving: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the demo did not serve within 2 minutes")
		}
		f, err := os.Open(filepath.Join(dir, "demo.env"))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				env[k] = v
			}
		}
		f.Close()
	}
	for _, want := range []string{"curl", env["LENDER"], env["PERSON1_ID"], "/v1/decisions"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the printed guide lacks %q:\n%s", want, stdout.String())
		}
	}

	url := env["OPENCREDIT_URL"]
	lender, person := apiclient.New(url, env["LENDER"]), apiclient.New(url, env["PERSON1"])
	who := env["PERSON2_ID"] // just below 600, if the population has one
	if who == "" {
		who = env["PERSON1_ID"]
	}
	s, err := lender.Score(ctx, who, opencredit.PurposeRentalDepositWaiver)
	if err != nil || s.Score < 350 || s.Score > 950 || len(s.Reasons) == 0 || len(s.Dimensions) == 0 {
		t.Fatalf("score of %s: %+v, %v; want a score with reasons and dimensions", who, s, err)
	}
	d, err := lender.Decide(ctx, who, "bike-deposit-free")
	if err != nil || d.Decision.Score != s.Score {
		t.Fatalf("decision: %+v, %v", d, err)
	}
	if (d.Decision.Outcome == decision.Declined) != (d.Notice != nil) || (s.Score < 600) != (d.Decision.Outcome == decision.Declined) {
		t.Errorf("score %d, decision %s, notice %v: a decline below 600 comes with its notice", s.Score, d.Decision.Outcome, d.Notice != nil)
	}
	data, err := person.SubjectData(ctx, env["PERSON1_ID"])
	if err != nil || len(data.Events) == 0 || len(data.Consents) == 0 {
		t.Fatalf("own data: %d events, %d consents, %v", len(data.Events), len(data.Consents), err)
	}
	// The person's pages: the printed one-time link signs PERSON1 in and
	// lands on their score.
	link := regexp.MustCompile(`PERSON1: (\S+/signin/\S+)`).FindStringSubmatch(stdout.String())
	if link == nil {
		t.Fatalf("the guide prints no sign-in link for PERSON1:\n%s", stdout.String())
	}
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar}).Get(link[1])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/score" || !strings.Contains(string(page), "Your credit score") {
		t.Errorf("the sign-in link: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if _, err := lender.Score(ctx, "sim-0002001", opencredit.PurposeCreditApplication); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("a person who gave the lender no consent: %v, want forbidden", err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo: %v", err)
	}
	code, out, stderr := cli("audit", "verify", "--db", filepath.Join(dir, "audit.db"), "--vkey", filepath.Join(dir, "keys", "audit.vkey"))
	if code != 0 || !strings.Contains(out, "records") {
		t.Fatalf("audit verify after the demo: exit %d\n%s%s", code, out, stderr)
	}
}

// TestDemoPortInUse: a taken --addr fails at once, before the population
// is simulated, with the address in the message.
func TestDemoPortInUse(t *testing.T) {
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var pf simFlags
	pf.cfg.Subjects, pf.cfg.Months = 100000, 24
	start := time.Now()
	err = runDemo(context.Background(), pf, kindScorecard, "", ln.Addr().String(), io.Discard, io.Discard)
	if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Fatalf("err = %v, want an invalid --addr naming %s", err, ln.Addr())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: the port must be checked before the simulation", d)
	}
}
