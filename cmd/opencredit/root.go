package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/opencredit/opencredit"
)

func newRootCmd(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "opencredit",
		Short: "Open-source credit scoring: explainable models, consented data, audited access",
		Long: `OpenCredit trains explainable credit scorecards (350–950), explains every score
with reasons and five dimension sub-scores, and refuses protected traits as inputs.`,
		Version:       opencredit.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	// Flag errors are bad input: exit 2.
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return opencredit.Errorf(opencredit.EINVALID, "%v (see %s --help)", err, c.CommandPath())
	})
	root.AddCommand(
		newTrainCmd(stdout, stderr),
		newCVCmd(stdout, stderr),
		newEvaluateCmd(stdout, stderr),
		newScoreCmd(stdout, stderr),
		newExportCmd(stdout),
		newSubjectCmd(getenv, stdout),
		newConsentCmd(getenv, stdout),
		newGenerateCmd(getenv, stdout, stderr),
		newSimulateCmd(getenv, stdout, stderr),
		newDemoCmd(stdout, stderr),
		newImportCmd(getenv, stdout, stderr),
		newSnapshotCmd(getenv, stderr),
		newBenchCmd(getenv, stdout, stderr),
		newClientsCmd(getenv, stdout),
		newDisputesCmd(getenv, stdout),
		newReviewsCmd(getenv, stdout),
		newAuditCmd(getenv, stdout, stderr),
		newPIICmd(getenv, stdout),
		newServeCmd(getenv, stdout, stderr),
		newPublishCmd(stdout, stderr),
		newModelsCmd(getenv, stdout, stderr),
	)
	return root
}
