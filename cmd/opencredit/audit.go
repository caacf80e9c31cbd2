package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/audit"
)

func newAuditCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "audit", Short: "The tamper-evident audit log: keys and verification"}

	var name, dir string
	keygen := &cobra.Command{
		Use:   "keygen --name NAME --out DIR",
		Short: "Create the Ed25519 key pair that signs audit checkpoints (audit.skey, audit.vkey)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			skey, vkey, err := audit.GenerateKey(name)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--name %q: %v", name, err)
			}
			return writeKeyPair(stdout, dir, filepath.Join(dir, "audit.skey"), filepath.Join(dir, "audit.vkey"), skey, vkey, "an audit key")
		},
	}
	keygen.Flags().StringVar(&name, "name", "opencredit-audit", "the key's name, the first line of every checkpoint")
	keygen.Flags().StringVar(&dir, "out", ".", "directory for audit.skey and audit.vkey")

	var sf storeFlags
	var dbPath, vkeyPath string
	var checkpoints, witnesses []string
	var asJSON bool
	verify := &cobra.Command{
		Use:   "verify (--db FILE | --store postgres --postgres DSN) --vkey FILE",
		Short: "Check every record, hash and signed checkpoint of an audit log; exit 2 if anything was changed, removed, inserted or reordered",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			vk, err := os.ReadFile(vkeyPath)
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--vkey: %v", err)
			}
			v, err := note.NewVerifier(strings.TrimSpace(string(vk)))
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "--vkey %s: %v", vkeyPath, err)
			}
			where := dbPath
			switch sf.kind {
			case "sqlite":
				if dbPath == "" {
					return opencredit.Errorf(opencredit.EINVALID, "--db FILE: the SQLite file holding the audit log is required with --store sqlite")
				}
				if _, err := os.Stat(dbPath); err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--db: %v", err)
				}
			case "postgres":
				if dbPath != "" {
					return opencredit.Errorf(opencredit.EINVALID, "--db %s is a SQLite audit file: with --store postgres the log is read from the tables of --postgres", dbPath)
				}
				where = "in PostgreSQL"
			}
			st, err := sf.openAuditStorage(cmd.Context(), getenv, dbPath)
			if err != nil {
				return err
			}
			defer st.Close()
			var external [][]byte
			for _, path := range checkpoints {
				b, err := os.ReadFile(path)
				if err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--checkpoint: %v", err)
				}
				if b, err = checkpointNote(b); err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--checkpoint %s: %v", path, err)
				}
				external = append(external, b)
			}
			clients, err := witnessClients(witnesses, v)
			if err != nil {
				return err
			}
			witnessed, from, err := fetchWitnessed(cmd.Context(), clients, stdout)
			if err != nil {
				return err
			}
			for k, cp := range witnessed {
				t, _ := audit.OpenCheckpoint(v, cp)
				fmt.Fprintf(stdout, "checkpoint %d given to verify: the latest that witness %s cosigned, of %d records\n", len(external)+k+1, from[k].Key.Name(), t.N)
			}
			rep, err := audit.Verify(cmd.Context(), st, v, append(external, witnessed...)...)
			if err != nil {
				return err
			}
			if asJSON {
				if err := json.NewEncoder(stdout).Encode(rep); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(stdout, "%d records, tree size %d, %d signed checkpoints (latest covers %d records; %d after it are not yet signed)\n",
					rep.Records, rep.Size, rep.Checkpoints, rep.CheckpointSize, rep.Unsigned())
				for _, p := range rep.Problems {
					fmt.Fprintf(stdout, "  %s\n", p)
				}
				if rep.MoreProblems > 0 {
					fmt.Fprintf(stdout, "  … and %d more problems\n", rep.MoreProblems)
				}
			}
			if !rep.OK() {
				return opencredit.Errorf(opencredit.EINVALID, "audit log %s failed verification: %d problems", where, len(rep.Problems)+rep.MoreProblems)
			}
			fmt.Fprintln(stderr, "audit log verified: no record changed, removed, inserted or reordered")
			return nil
		},
	}
	verify.Flags().StringVar(&sf.kind, "store", "sqlite", "where the log is: sqlite (the file --db) or postgres (the tables of --postgres)")
	verify.Flags().StringVar(&sf.dsn, "postgres", "", "PostgreSQL connection string of --store postgres (default: $OPENCREDIT_POSTGRES)")
	verify.Flags().StringVar(&dbPath, "db", "", "the SQLite file holding the audit log (required with --store sqlite)")
	verify.Flags().StringVar(&vkeyPath, "vkey", "", "the verifier key file (required)")
	verify.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	verify.Flags().StringArrayVar(&checkpoints, "checkpoint", nil, "a signed checkpoint kept outside the server (GET /v1/audit/checkpoint), checked too; repeatable")
	verify.Flags().StringArrayVar(&witnesses, "witness", nil, "URL=KEY: check the log extends the latest checkpoint this witness cosigned (KEY: its witness.vkey or the key); repeatable")
	_ = verify.MarkFlagRequired("vkey")
	c.AddCommand(keygen, verify, newWitnessCmd(stdout, stderr), newProveCmd(getenv, stdout), newCheckProofCmd(stdout))
	return c
}

// newProveCmd is `opencredit audit prove`: the inclusion proof of one record.
func newProveCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var dbPath, vkeyPath string
	var index int64
	c := &cobra.Command{
		Use:   "prove --index N (--db FILE | --store postgres --postgres DSN) --vkey FILE",
		Short: "Print the proof that record N is in the audit log, against its latest witnessed checkpoint, for audit check-proof",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, err := readVerifierFile("--vkey", vkeyPath)
			if err != nil {
				return err
			}
			if sf.kind == "sqlite" && dbPath == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--db FILE: the SQLite file holding the audit log is required with --store sqlite")
			}
			if sf.kind == "sqlite" {
				if _, err := os.Stat(dbPath); err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--db: %v", err)
				}
			}
			st, err := sf.openAuditStorage(cmd.Context(), getenv, dbPath)
			if err != nil {
				return err
			}
			defer st.Close()
			log, err := audit.Open(cmd.Context(), st, nil, v)
			if err != nil {
				return err
			}
			p, err := log.WitnessedProof(cmd.Context(), index)
			if err != nil {
				return fmt.Errorf("--index %d: %w", index, err)
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(p)
		},
	}
	c.Flags().StringVar(&sf.kind, "store", "sqlite", "where the log is: sqlite (the file --db) or postgres (the tables of --postgres)")
	c.Flags().StringVar(&sf.dsn, "postgres", "", "PostgreSQL connection string of --store postgres (default: $OPENCREDIT_POSTGRES)")
	c.Flags().StringVar(&dbPath, "db", "", "the SQLite file holding the audit log (required with --store sqlite)")
	c.Flags().StringVar(&vkeyPath, "vkey", "", "the log's verifier key file (required)")
	c.Flags().Int64Var(&index, "index", -1, "the record's index (required)")
	_ = c.MarkFlagRequired("vkey")
	_ = c.MarkFlagRequired("index")
	return c
}

// newCheckProofCmd is `opencredit audit check-proof`: the offline check.
func newCheckProofCmd(stdout io.Writer) *cobra.Command {
	var logKey string
	var witnessKeys []string
	c := &cobra.Command{
		Use:   "check-proof FILE --log-key K [--witness-key W]...",
		Short: "Check offline that a proof (audit prove, or GET .../proof) shows its record in the log, signed by the log and cosigned by each witness; exit 2 if not",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := readLogKeys(logKey)
			if err != nil {
				return err
			}
			if len(v) != 1 {
				return opencredit.Errorf(opencredit.EINVALID, "--log-key %s: want one key, found %d", logKey, len(v))
			}
			var ws []note.Verifier
			for _, k := range witnessKeys {
				wv, err := readWitnessKey("--witness-key", k)
				if err != nil {
					return err
				}
				ws = append(ws, wv)
			}
			b, err := os.ReadFile(args[0])
			if err != nil {
				return opencredit.Errorf(opencredit.EINVALID, "%v", err)
			}
			p, err := audit.ParseProof(b)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			r, err := audit.CheckProof(p, v[0], ws...)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			names := []string{"the log " + v[0].Name()}
			for _, w := range ws {
				names = append(names, "witness "+w.Name())
			}
			fmt.Fprintf(stdout, "record %d is in the log's tree of %d records, signed by %s\n", p.Index, p.TreeSize, strings.Join(names, ", "))
			fmt.Fprintf(stdout, "  %s %s: %s about %q by %s (%s) for %s\n", r.Time.Format(time.RFC3339), r.RequestID, r.Action, r.Subject, r.Client, r.Role, r.Purpose)
			return nil
		},
	}
	c.Flags().StringVar(&logKey, "log-key", "", "the log's verifier key (audit.vkey) or its file (required)")
	c.Flags().StringArrayVar(&witnessKeys, "witness-key", nil, "a witness's verifier key (witness.vkey) or its file, whose cosignature the checkpoint must carry; repeatable")
	_ = c.MarkFlagRequired("log-key")
	return c
}

// readVerifierFile reads a log verifier key file.
func readVerifierFile(flag, path string) (note.Verifier, error) {
	vk, err := os.ReadFile(path)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s: %v", flag, err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(vk)))
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s %s: %v", flag, path, err)
	}
	return v, nil
}

// checkpointNote returns the signed note a --checkpoint file holds: the note
// itself, or the body of GET /v1/audit/checkpoint saved as it came (JSON,
// whose size must agree with the note's).
func checkpointNote(b []byte) ([]byte, error) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return b, nil
	}
	var r api.CheckpointResponse
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a checkpoint note nor a GET /v1/audit/checkpoint response: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the GET /v1/audit/checkpoint response")
	}
	if r.Checkpoint == "" {
		return nil, fmt.Errorf("the response holds no checkpoint")
	}
	// A checkpoint's body is its origin line, then its size (C2SP
	// tlog-checkpoint).
	lines := strings.SplitN(r.Checkpoint, "\n", 3)
	if len(lines) < 3 {
		return nil, fmt.Errorf("the response's checkpoint is not a checkpoint note")
	}
	if size, err := strconv.ParseInt(lines[1], 10, 64); err != nil || size != r.Size {
		return nil, fmt.Errorf("the response's size %d is not its checkpoint's (%q)", r.Size, lines[1])
	}
	return []byte(r.Checkpoint), nil
}
