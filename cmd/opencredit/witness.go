package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/witness"
)

// newWitnessCmd is `opencredit audit witness`: run a witness, or make its key.
func newWitnessCmd(stdout, stderr io.Writer) *cobra.Command {
	var addr, keyPath, statePath string
	var logKeys []string
	c := &cobra.Command{
		Use:   "witness --listen ADDR --key FILE --state FILE --log-key FILE",
		Short: "Run a witness of audit logs (C2SP tlog-witness): cosign only consistent extensions of what it has seen",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sk, err := os.ReadFile(keyPath)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--key: %v", err)
			}
			cosigner, err := audit.NewCosigner(strings.TrimSpace(string(sk)), nil)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--key %s: %v", keyPath, err)
			}
			if len(logKeys) == 0 {
				return opencredit.Errorf(opencredit.EINVALID, "--log-key FILE: give the verifier key (audit.vkey) of each log the witness accepts")
			}
			var logs []note.Verifier
			for _, k := range logKeys {
				vs, err := readLogKeys(k)
				if err != nil {
					return err
				}
				logs = append(logs, vs...)
			}
			if statePath == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--state FILE: where the witness keeps what it cosigned is required")
			}
			st, err := witness.OpenState(statePath)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "%v", err)
			}
			logger := slog.New(slog.NewJSONHandler(stderr, nil))
			w, err := witness.New(cosigner, logs, st, logger)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "%v", err)
			}
			ln, err := listen(addr)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--listen %s: %v", addr, err)
			}
			srv := &http.Server{Handler: witness.Handler(w), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
				WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
			fmt.Fprintf(stdout, "witness %s listening on http://%s\n", cosigner.Name(), ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
			}
			sctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), shutdownGrace)
			defer cancel()
			return srv.Shutdown(sctx)
		},
	}
	c.Flags().StringVar(&addr, "listen", "127.0.0.1:8081", "address to listen on")
	c.Flags().StringVar(&keyPath, "key", "", "the witness's secret key, from audit witness keygen (required)")
	c.Flags().StringVar(&statePath, "state", "", "the file the witness keeps its latest cosigned checkpoint of each log in (required)")
	c.Flags().StringArrayVar(&logKeys, "log-key", nil, "a file of log verifier keys (audit.vkey), one a line, or a key itself; repeatable")
	_ = c.MarkFlagRequired("key")

	var name, dir string
	keygen := &cobra.Command{
		Use:   "keygen --name NAME --out DIR",
		Short: "Create a witness's cosigning key pair (witness.skey, witness.vkey)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			skey, vkey, err := audit.GenerateWitnessKey(name)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--name %q: %v", name, err)
			}
			sp, vp := filepath.Join(dir, "witness.skey"), filepath.Join(dir, "witness.vkey")
			return writeKeyPair(stdout, dir, sp, vp, skey, vkey, "a witness key")
		},
	}
	keygen.Flags().StringVar(&name, "name", "opencredit-witness", "the witness key's name, shown on its cosignatures (e.g. witness.example/w1)")
	keygen.Flags().StringVar(&dir, "out", ".", "directory for witness.skey and witness.vkey")
	c.AddCommand(keygen)
	return c
}

// writeKeyPair writes a new key pair, refusing to replace one.
func writeKeyPair(stdout io.Writer, dir, sp, vp, skey, vkey, what string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, p := range []string{sp, vp} {
		if _, err := os.Stat(p); err == nil {
			return opencredit.Errorf(opencredit.ECONFLICT, "%s exists: refusing to replace %s", p, what)
		}
	}
	if err := os.WriteFile(sp, []byte(skey+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(vp, []byte(vkey+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signer key (keep secret): %s\nverifier key (publish): %s\n", sp, vp)
	return nil
}

// readLogKeys reads log verifier keys: arg itself if it is one, else the
// file it names, one key a line.
func readLogKeys(arg string) ([]note.Verifier, error) {
	if v, err := note.NewVerifier(arg); err == nil {
		return []note.Verifier{v}, nil
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "--log-key %s: neither a verifier key nor a readable file: %v", arg, err)
	}
	var out []note.Verifier
	for i, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := note.NewVerifier(line)
		if err != nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "--log-key %s:%d: %v", arg, i+1, err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, opencredit.Errorf(opencredit.EINVALID, "--log-key %s holds no key", arg)
	}
	return out, nil
}

// readWitnessKey reads a witness's cosignature key: arg itself if it is
// one, else the file it names.
func readWitnessKey(flag, arg string) (*audit.CosignatureVerifier, error) {
	if v, err := audit.NewCosignatureVerifier(arg); err == nil {
		return v, nil
	}
	b, err := os.ReadFile(arg)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s %s: neither a witness key nor a readable file: %v", flag, arg, err)
	}
	v, err := audit.NewCosignatureVerifier(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s %s: %v", flag, arg, err)
	}
	return v, nil
}

// witnessClients reads --witness URL=KEY flags into clients of the log v.
// The key is a witness verifier key (witness.vkey) or a file holding one.
func witnessClients(flags []string, v note.Verifier) ([]*witness.Client, error) {
	var out []*witness.Client
	for _, f := range flags {
		u, key, ok := strings.Cut(f, "=")
		if !ok || !(strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) || key == "" {
			return nil, opencredit.Errorf(opencredit.EINVALID, "--witness %q: want URL=KEY, the witness's http(s) URL and its verifier key or key file", f)
		}
		wv, err := readWitnessKey("--witness", key)
		if err != nil {
			return nil, err
		}
		out = append(out, &witness.Client{URL: u, Key: wv, Log: v, HTTP: &http.Client{Timeout: 10 * time.Second}})
	}
	return out, nil
}

// fetchWitnessed asks each witness for the latest checkpoint it cosigned
// of the log, and returns them with the witnesses they came from. A
// witness that has none adds nothing (and is reported to w); one that
// cannot be reached is an error: verify is asked to check against it.
func fetchWitnessed(ctx context.Context, clients []*witness.Client, w io.Writer) ([][]byte, []*witness.Client, error) {
	var out [][]byte
	var from []*witness.Client
	for _, c := range clients {
		cp, err := c.Latest(ctx)
		if errors.Is(err, witness.ErrNone) {
			fmt.Fprintf(w, "witness %s has cosigned no checkpoint of this log\n", c.Key.Name())
			continue
		}
		if err != nil {
			return nil, nil, opencredit.Errorf(opencredit.EINVALID, "--witness %s: %v", c.URL, err)
		}
		out, from = append(out, cp), append(from, c)
	}
	return out, from, nil
}
