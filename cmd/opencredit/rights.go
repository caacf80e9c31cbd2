package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/rights"
	"github.com/opencredit/opencredit/scoring"
)

// cliCaller is who the audit log names for the person's-rights commands
// run on the command line: an operator acting at the person's request.
var cliCaller = scoring.Caller{Client: opencredit.Client{ID: "opencredit-cli", Role: opencredit.RoleOperator}}

// rightsFlags open the store and its audit log for the rights commands.
// The log is appended to (no checkpoint is signed), so only the public
// key is needed, to check the log's latest checkpoint before appending.
type rightsFlags struct {
	sf       storeFlags
	vkeyPath string
}

func (f *rightsFlags) register(c *cobra.Command) {
	f.sf.register(c)
	c.Flags().StringVar(&f.vkeyPath, "audit-vkey", "", "the audit log's public key (audit.vkey; required: every export and erasure is recorded)")
}

// run opens the store and the audit log and runs fn on a rights service.
func (f *rightsFlags) run(cmd *cobra.Command, getenv func(string) string, fn func(rs *rights.Service) error) error {
	if f.vkeyPath == "" {
		return opencredit.Errorf(opencredit.EINVALID, "--audit-vkey is required: the access is recorded in the audit log")
	}
	vk, err := os.ReadFile(f.vkeyPath)
	if err != nil {
		return opencredit.Errorf(opencredit.EINVALID, "--audit-vkey: %v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vk)))
	if err != nil {
		return opencredit.Errorf(opencredit.EINVALID, "--audit-vkey %s: %v", f.vkeyPath, err)
	}
	ctx := cmd.Context()
	st, err := f.sf.open(ctx, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	log, closeAudit, err := f.sf.openAudit(ctx, getenv, nil, verifier)
	if err != nil {
		return err
	}
	defer closeAudit()
	rs, err := rights.New(rights.Config{Store: st, Log: log})
	if err != nil {
		return err
	}
	return fn(rs)
}

// newSubjectRightsCmds are `subject export ID` and `subject erase ID`.
func newSubjectRightsCmds(getenv func(string) string, stdout io.Writer) []*cobra.Command {
	var ef rightsFlags
	var out string
	export := &cobra.Command{
		Use:   "export ID [--out FILE] --audit-vkey audit.vkey",
		Short: "Write everything held about a person, PII decrypted, as one JSON document (GDPR Art. 20; schema " + rights.ExportVersion + ")",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return ef.run(cmd, getenv, func(rs *rights.Service) error {
				ex, err := rs.ExportWithPII(cmd.Context(), cliCaller, args[0])
				if err != nil {
					return err
				}
				b, err := json.MarshalIndent(ex, "", "  ")
				if err != nil {
					return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot encode the export", Err: err}
				}
				b = append(b, '\n')
				if out == "" {
					_, err = stdout.Write(b)
					return err
				}
				// 0600: the document holds the person's PII.
				if err := os.WriteFile(out, b, 0o600); err != nil {
					return opencredit.Errorf(opencredit.EINVALID, "--out: %v", err)
				}
				fmt.Fprintf(stdout, "export of %s written to %s (%d events, %d accesses)\n", args[0], out, len(ex.Events), len(ex.Accesses))
				return nil
			})
		},
	}
	ef.register(export)
	export.Flags().StringVar(&out, "out", "", "file to write (mode 0600); default standard output")

	var rf rightsFlags
	erase := &cobra.Command{
		Use:   "erase ID --audit-vkey audit.vkey",
		Short: "Erase a person's PII, events and features, withdrawing every consent (GDPR Art. 17); the legal hold keeps the tombstone, the consent and freeze history and the audit log",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return rf.run(cmd, getenv, func(rs *rights.Service) error {
				e, err := rs.Erase(cmd.Context(), cliCaller, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "subject %s erased at %s: %d events deleted\n", e.Subject, e.ErasedAt.Format("2006-01-02T15:04:05Z"), e.EventsDeleted)
				return nil
			})
		},
	}
	rf.register(erase)
	cmds := []*cobra.Command{export, erase}
	for _, c := range []struct {
		use, short string
		change     func(*rights.Service, *cobra.Command, string) (rights.FreezeState, error)
	}{
		{"freeze ID --audit-vkey audit.vkey", "Freeze a person's file at their request (FCRA §605A): no lender may pull it for a new credit_application or rental_deposit_waiver until it is lifted",
			func(rs *rights.Service, cmd *cobra.Command, id string) (rights.FreezeState, error) {
				return rs.Freeze(cmd.Context(), cliCaller, id)
			}},
		{"unfreeze ID --audit-vkey audit.vkey", "Lift the freeze on a person's file, at their request",
			func(rs *rights.Service, cmd *cobra.Command, id string) (rights.FreezeState, error) {
				return rs.Unfreeze(cmd.Context(), cliCaller, id)
			}},
	} {
		var ff rightsFlags
		cmd := &cobra.Command{
			Use: c.use, Short: c.short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return ff.run(cmd, getenv, func(rs *rights.Service) error {
					st, err := c.change(rs, cmd, args[0])
					if err != nil {
						return err
					}
					state := "not frozen"
					if st.Frozen {
						state = "frozen"
					}
					fmt.Fprintf(stdout, "subject %s: file %s\n", args[0], state)
					return nil
				})
			},
		}
		ff.register(cmd)
		cmds = append(cmds, cmd)
	}
	return cmds
}
