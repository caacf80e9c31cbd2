package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
)

func newClientsCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	c := &cobra.Command{Use: "clients", Short: "Create, list and revoke API clients (keys stored only as hashes)"}
	c.AddCommand(newClientsCreateCmd(getenv, stdout), newClientsListCmd(getenv, stdout), newClientsRevokeCmd(getenv, stdout))
	return c
}

func newClientsCreateCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var cl opencredit.Client
	cmd := &cobra.Command{
		Use:   "create --id ID --name N --role R [--purpose p,p] [--subject S]",
		Short: "Create an API client and print its key, once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cl.ID == "" || cl.Role == "" {
				return opencredit.Errorf(opencredit.EINVALID, "--id and --role are required")
			}
			cl.CreatedAt = time.Now().UTC()
			// Validate before opening the store, so a mistyped flag does
			// not create a data directory.
			if err := cl.Validate(); err != nil {
				return err
			}
			key, hash, err := opencredit.NewAPIKey()
			if err != nil {
				return err
			}
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.CreateClient(cmd.Context(), cl, hash); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "client %s created (%s)\n", cl.ID, describeClient(cl))
			fmt.Fprintf(stdout, "key: %s\n", key)
			fmt.Fprintln(stdout, "Keep this key now: it is stored only as a hash and cannot be shown again. If it is lost, revoke the client and create another.")
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&cl.ID, "id", "", "client id (required)")
	cmd.Flags().StringVar(&cl.Name, "name", "", "who the client is, for operators")
	cmd.Flags().StringVar(&cl.Role, "role", "", "furnisher, lender, operator or subject (required)")
	cmd.Flags().StringSliceVar(&cl.Purposes, "purpose", nil, "a lender's permitted purposes, comma-separated: "+strings.Join(opencredit.LenderPurposes(), ", "))
	cmd.Flags().StringVar(&cl.Subject, "subject", "", "for role subject: the only subject the client may reach")
	return cmd
}

func newClientsListCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API clients, revoked ones included",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := sf.open(cmd.Context(), getenv)
			if err != nil {
				return err
			}
			defer st.Close()
			cs, err := st.Clients(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tROLE\tNAME\tPURPOSES\tSUBJECT\tCREATED\tREVOKED")
			for _, c := range cs {
				revoked := "-"
				if c.RevokedAt != nil {
					revoked = c.RevokedAt.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Role, orDash(c.Name), orDash(strings.Join(c.Purposes, ",")),
					orDash(c.Subject), c.CreatedAt.Format(time.RFC3339), revoked)
			}
			return tw.Flush()
		},
	}
	sf.register(cmd)
	return cmd
}

func newClientsRevokeCmd(getenv func(string) string, stdout io.Writer) *cobra.Command {
	var sf storeFlags
	var id string
	cmd := &cobra.Command{
		Use:   "revoke --id ID",
		Short: "Revoke an API client: its key stops working at once",
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
			if err := st.RevokeClient(cmd.Context(), id, time.Now().UTC()); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "client %s revoked\n", id)
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&id, "id", "", "client id (required)")
	return cmd
}

// describeClient says what a client may reach, for the create message.
func describeClient(c opencredit.Client) string {
	switch c.Role {
	case opencredit.RoleLender:
		return "lender; purposes " + orDash(strings.Join(c.Purposes, ", "))
	case opencredit.RoleSubject:
		return "subject " + c.Subject + " only"
	}
	return c.Role
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
