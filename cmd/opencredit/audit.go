package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
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
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			sp, vp := filepath.Join(dir, "audit.skey"), filepath.Join(dir, "audit.vkey")
			for _, p := range []string{sp, vp} {
				if _, err := os.Stat(p); err == nil {
					return opencredit.Errorf(opencredit.ECONFLICT, "%s exists: refusing to replace an audit key", p)
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
		},
	}
	keygen.Flags().StringVar(&name, "name", "opencredit-audit", "the key's name, the first line of every checkpoint")
	keygen.Flags().StringVar(&dir, "out", ".", "directory for audit.skey and audit.vkey")

	var sf storeFlags
	var dbPath, vkeyPath string
	var checkpoints []string
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
				external = append(external, b)
			}
			rep, err := audit.Verify(cmd.Context(), st, v, external...)
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
	_ = verify.MarkFlagRequired("vkey")
	c.AddCommand(keygen, verify)
	return c
}
