// Command opencredit is the OpenCredit command line: it trains, validates,
// explains and exports credit scorecards. main only wires; the work is done
// in the packages it calls.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/opencredit/opencredit"
)

func main() {
	// Ctrl-C and a service manager's SIGTERM both end the context: serve
	// then finishes in-flight requests and signs a checkpoint, and demo
	// removes its temporary directory.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err and maps it to the process status: 0 success, 2 bad
// input or a refusal (a line we do not cross), 1 anything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var e *opencredit.Error
	if errors.As(err, &e) && e.Code == opencredit.EINTERNAL {
		fmt.Fprintln(stderr, "opencredit: internal error:", err)
		return 1
	}
	fmt.Fprintln(stderr, "opencredit:", err)
	switch opencredit.ErrorCode(err) {
	case opencredit.EINVALID, opencredit.EREFUSED:
		return 2
	}
	return 1
}

// run is the whole program, callable from tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	root := newRootCmd(getenv, stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}
