package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/pii"
)

// keyRotator is a store whose PII key can be rotated (both stores).
type keyRotator interface {
	RotateKey(ctx context.Context, next pii.Keys) (int, error)
}

// newPIICmd is `opencredit pii`: the key of personal data.
func newPIICmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "pii", Short: "The key personal data is sealed under"}
	var sf storeFlags
	var oldKey, newKey string
	rotate := &cobra.Command{
		Use:   "rotate-key --old K --new K",
		Short: "Re-seal every subject's personal data, and its national id's lookup hash, under a new key, in one transaction",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			old, err := readPIIKey("--old", oldKey)
			if err != nil {
				return err
			}
			next, err := readPIIKey("--new", newKey)
			if err != nil {
				return err
			}
			if err := pii.CheckRotation(old, next); err != nil {
				return err
			}
			st, err := sf.openWith(cmd.Context(), getenv, old)
			if err != nil {
				return fmt.Errorf("--old: %w", err)
			}
			defer st.Close()
			r, ok := st.(keyRotator)
			if !ok {
				return opencredit.Errorf(opencredit.EINVALID, "--store %s cannot rotate its key", sf.kind)
			}
			n, err := r.RotateKey(cmd.Context(), next)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d subjects re-sealed under the new key; set %s (or %s) to it before starting serve again\n", n, pii.EnvKey, pii.EnvKeyFile)
			return nil
		},
	}
	rotate.Flags().StringVar(&sf.kind, "store", "sqlite", "sqlite (embedded, one file in --dir) or postgres (--postgres)")
	rotate.Flags().StringVar(&sf.dir, "dir", "opencredit-data", "data directory of the embedded store")
	rotate.Flags().StringVar(&sf.dsn, "postgres", "", "PostgreSQL connection string (default: $OPENCREDIT_POSTGRES)")
	rotate.Flags().StringVar(&oldKey, "old", "", "the store's key: a file holding it, or the key (64 hex characters or base64 of 32 bytes) (required)")
	rotate.Flags().StringVar(&newKey, "new", "", "the new key, as --old (required)")
	_ = rotate.MarkFlagRequired("old")
	_ = rotate.MarkFlagRequired("new")
	c.AddCommand(rotate)
	return c
}

// readPIIKey reads a master key from the file arg names, or from arg itself.
// A file is the better way: a key on the command line shows in ps.
func readPIIKey(flag, arg string) (pii.Keys, error) {
	if b, err := os.ReadFile(arg); err == nil {
		k, err := pii.ParseKey(string(b))
		if err != nil {
			return pii.Keys{}, opencredit.Errorf(opencredit.EINVALID, "%s %s: %v", flag, arg, err)
		}
		return k, nil
	}
	k, err := pii.ParseKey(arg)
	if err != nil {
		return pii.Keys{}, opencredit.Errorf(opencredit.EINVALID, "%s: neither a readable file nor a key: %v", flag, err)
	}
	return k, nil
}
