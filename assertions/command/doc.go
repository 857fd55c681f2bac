// Package command is the command check: a program, run on the machine drill
// runs on with the PG* environment of a restored database, or in a
// container of a ready pod of the sandbox, whose exit code and standard
// output prove the recovery with the application's own tools.
//
// Whatever the program prints, the check keeps a bounded amount of it: the
// last lines for the message, and the pattern is matched as the output
// streams past, never on a copy of it.
package command
