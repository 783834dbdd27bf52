// Package hostile holds samthreat's hostile-input suite (hostile_test.go):
// inputs an attacker would write (alias bombs, deep nesting, huge files,
// /dev/zero and FIFOs wherever a file is read, symbolic links out of the
// project, ../ and absolute CodeUri, duplicate keys, UTF-16, binary, YAML that
// is not a template), each run through the built binary as a child process
// with a deadline, checking the exit code, the one-line error, no panic, peak
// memory from rusage, and that nothing outside the project root is read; and
// a fault test of `samthreat serve` (bounded imports and bodies, kill -9
// mid-import, then the workspace opens and passes integrity_check).
package hostile
