// cosigcheck verifies witness cosignatures (C2SP tlog-cosignature, cosignature/v1) on an Etikdialog
// checkpoint with transparency-dev/formats' note package, which we did not write and do not ship:
// tests/test_interop.py puts a pinned copy on GOPATH when one can be had, and skips otherwise.
// It reads {"checkpoint", "witnesses": [vkey, ...]} on standard input; every witness must have
// cosigned. Prints "ok" and exits 0, or says why and exits 1.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/transparency-dev/formats/note"
	sumdb "golang.org/x/mod/sumdb/note"
)

type request struct {
	Checkpoint string   `json:"checkpoint"`
	Witnesses  []string `json:"witnesses"`
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return err
	}
	var verifiers []sumdb.Verifier
	for _, vkey := range req.Witnesses {
		v, err := note.NewVerifierForCosignatureV1(vkey)
		if err != nil {
			return fmt.Errorf("witness key %q: %v", vkey, err)
		}
		verifiers = append(verifiers, v)
	}
	n, err := sumdb.Open([]byte(req.Checkpoint), sumdb.VerifierList(verifiers...))
	if err != nil {
		return fmt.Errorf("cosignatures: %v", err)
	}
	seen := map[string]bool{}
	for _, s := range n.Sigs {
		if _, err := note.CoSigV1Timestamp(s); err != nil {
			return fmt.Errorf("cosignature by %s: %v", s.Name, err)
		}
		seen[s.Name] = true
	}
	for _, v := range verifiers {
		if !seen[v.Name()] {
			return fmt.Errorf("no valid cosignature by %s", v.Name())
		}
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
