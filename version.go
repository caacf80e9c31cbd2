package opencredit

// Version is the version of the OpenCredit tool: what 'opencredit
// --version' prints and what every trainer writes into a model as its
// ToolVersion (which the PMML export carries as its Application version).
// It is a variable so that a release build can set it with
// -ldflags "-X github.com/opencredit/opencredit.Version=...".
var Version = "0.1.0-dev"
