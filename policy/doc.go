// Package policy enforces the lines OpenCredit does not cross, in code:
//
//   - protected traits are never model inputs (GDPR Art. 9, ECOA /
//     Regulation B 12 CFR 1002.6, EU AI Act): CheckInputs refuses any column
//     that names one and is not declared (protected.go, check.go);
//   - a person's age is used only under 12 CFR 1002.6(b)(2)(iv): both
//     trainers cut an allowed age column at ElderlyAge (62) with WithAgeCut
//     and refuse the fit with CheckAge when applicants aged 62 or more earn
//     fewer points than a younger bin (age.go);
//   - a score serves only a permissible credit purpose — a credit
//     application, an account review, a rental deposit waiver, or the
//     subject's own access — never employment, public services, travel,
//     education or any other unrelated context (FCRA §604; EU AI Act
//     Art. 5(1)(c)) (purpose.go).
package policy
