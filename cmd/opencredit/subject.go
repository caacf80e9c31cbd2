package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
)

func newSubjectCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "subject", Short: "Register, export and erase people (pseudonymous ids; PII encrypted at rest)"}
	var sf storeFlags
	var id string
	var p opencredit.PII
	add := &cobra.Command{
		Use:   "add --id ID [--name N] [--national-id X] [--dob YYYY-MM-DD]",
		Short: "Register a subject",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if id == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--id is required")
			}
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.CreateSubject(cmd.Context(), id, p, time.Now().UTC()); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "subject %s registered\n", id)
			return nil
		},
	}
	sf.register(add)
	add.Flags().StringVar(&id, "id", "", "pseudonymous subject id (required)")
	add.Flags().StringVar(&p.Name, "name", "", "name (encrypted at rest)")
	add.Flags().StringVar(&p.NationalID, "national-id", "", "national id (encrypted; looked up by keyed hash)")
	add.Flags().StringVar((*string)(&p.DateOfBirth), "dob", "", "date of birth, YYYY-MM-DD (encrypted; never a scoring input)")
	c.AddCommand(add)
	c.AddCommand(newSubjectRightsCmds(getenv, stdout)...)
	return c
}

func newConsentCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "consent", Short: "Grant or withdraw a subject's consent to a counterparty for a purpose"}
	for _, grant := range []bool{true, false} {
		var sf storeFlags
		var subject, counterparty, purpose string
		name, short := "grant", "Record a consent, from now"
		if !grant {
			name, short = "withdraw", "Withdraw a consent, from now: new use stops at once"
		}
		sub := &cobra.Command{
			Use:   name + " --subject S --counterparty C --purpose P",
			Short: short,
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				if subject == "" || counterparty == "" || purpose == "" {
					return opencredit.Errorf(opencredit.EINVALID, "--subject, --counterparty and --purpose are required")
				}
				if !opencredit.KnownPurpose(purpose) {
					return opencredit.Errorf(opencredit.EINVALID, "--purpose %q: want one of %s", purpose, strings.Join(opencredit.Purposes(), ", "))
				}
				st, err := sf.open(cmd.Context(), getenv)
				if err != nil {
					return err
				}
				defer st.Close()
				now := time.Now().UTC()
				if grant {
					err = st.GrantConsent(cmd.Context(), opencredit.Consent{Subject: subject, Counterparty: counterparty, Purpose: purpose, GrantedAt: now})
				} else {
					err = st.WithdrawConsent(cmd.Context(), subject, counterparty, purpose, now)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "consent of %s to %s for %s: %sed\n", subject, counterparty, purpose, name)
				return nil
			},
		}
		sf.register(sub)
		sub.Flags().StringVar(&subject, "subject", "", "subject id")
		sub.Flags().StringVar(&counterparty, "counterparty", "", "furnisher or lender id")
		sub.Flags().StringVar(&purpose, "purpose", "", "one of "+strings.Join(opencredit.Purposes(), ", "))
		c.AddCommand(sub)
	}
	return c
}
