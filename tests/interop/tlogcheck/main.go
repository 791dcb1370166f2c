// tlogcheck verifies an Etikdialog checkpoint and its proofs with Go's own implementations
// (golang.org/x/mod/sumdb/note and sumdb/tlog, as Debian's golang-golang-x-mod-dev ships them):
// the log's signature on the checkpoint note, a leaf's inclusion proof and a consistency proof.
// It reads one JSON request on standard input, prints "ok" and exits 0, or says why and exits 1.
// Used by tests/test_interop.py; built offline in GOPATH mode.
package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	VKey        string   `json:"vkey"`
	Checkpoint  string   `json:"checkpoint"`
	Entry       string   `json:"entry"` // base64 of the entry's bytes (the leaf's data)
	Index       int64    `json:"index"`
	AuditPath   []string `json:"audit_path"`
	OldSize     int64    `json:"old_size"`
	OldRoot     string   `json:"old_root"` // base64, as in a checkpoint
	Consistency []string `json:"consistency"`
}

func hashes(values []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(values))
	for i, v := range values {
		b, err := hex.DecodeString(v)
		if err != nil || len(b) != tlog.HashSize {
			return nil, fmt.Errorf("bad hash %q", v)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func root(value string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(b) != tlog.HashSize {
		return h, fmt.Errorf("bad root %q", value)
	}
	copy(h[:], b)
	return h, nil
}

func run() error {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		return err
	}
	verifier, err := note.NewVerifier(req.VKey)
	if err != nil {
		return fmt.Errorf("log key: %v", err)
	}
	n, err := note.Open([]byte(req.Checkpoint), note.VerifierList(verifier))
	if err != nil {
		return fmt.Errorf("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		return fmt.Errorf("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return fmt.Errorf("checkpoint size: %v", err)
	}
	treeRoot, err := root(lines[2])
	if err != nil {
		return err
	}
	entry, err := base64.StdEncoding.DecodeString(req.Entry)
	if err != nil {
		return err
	}
	path, err := hashes(req.AuditPath)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(path, size, treeRoot, req.Index, tlog.RecordHash(entry)); err != nil {
		return fmt.Errorf("inclusion: %v", err)
	}
	if req.OldSize > 0 {
		oldRoot, err := root(req.OldRoot)
		if err != nil {
			return err
		}
		proof, err := hashes(req.Consistency)
		if err != nil {
			return err
		}
		if err := tlog.CheckTree(proof, size, treeRoot, req.OldSize, oldRoot); err != nil {
			return fmt.Errorf("consistency: %v", err)
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
