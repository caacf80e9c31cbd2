// Package decision turns a score into a decision on a program — a
// deposit-free rental, a credit line — and a declined person's
// adverse-action notice: LoadProgramsFile reads a strict YAML file of
// programs (a program naming a refused purpose fails to load), Decide checks
// the minimum score, the conditions and the limit and gives a decline at
// most four specific reasons (ECOA Reg. B, 12 CFR 1002.9(b)(2)), and
// NewNotice writes the notice (FCRA §615(a), §609(f)).
//
// The program file, the reason rules and the notice's content are described
// in docs/decisions.md.
package decision
