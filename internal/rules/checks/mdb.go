package checks

import "fmt"

// MemoryDB rules (SLS-MDB-*).

func init() {
	Register("SLS-MDB-001", checkMemoryDBOpenACL)
}

func checkMemoryDBOpenACL(c *Context) ([]Hit, error) {
	var hits []Hit
	for _, r := range resources(c.Template, "AWS::MemoryDB::Cluster") {
		n := get(props(r), "ACLName")
		if value(c, n) == "open-access" {
			hits = append(hits, Hit{Resource: r.ID, Key: "acl",
				Message:  fmt.Sprintf("MemoryDB cluster %s uses the open-access ACL: any client that reaches it on the network reads and writes every key without credentials", r.ID),
				Evidence: at(c.Model, n, r.Line)})
		}
	}
	return hits, nil
}
