package catalog

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/samthreat/samthreat/catalogs"
)

// Category is one OWASP Serverless Top Ten category in samthreat's words,
// with the STRIDE threats it maps to. Reports generate their mapping table
// from these.
type Category struct {
	ID         string   `yaml:"id" json:"id"`
	Title      string   `yaml:"title" json:"title"`
	STRIDE     []string `yaml:"stride" json:"stride"`
	Meaning    string   `yaml:"meaning" json:"meaning"`
	Serverless string   `yaml:"serverless" json:"serverless"`
	InTemplate string   `yaml:"in_template" json:"inTemplate"`
	References []string `yaml:"references" json:"references"`
}

// Validate checks a category; messages start with the id.
func (c *Category) Validate() error {
	if !owaspRe.MatchString(c.ID) {
		return fmt.Errorf("%s: id is not S1..S10", c.ID)
	}
	if c.Title == "" || c.Meaning == "" || c.Serverless == "" || c.InTemplate == "" || len(c.References) == 0 || len(c.STRIDE) == 0 {
		return fmt.Errorf("%s: title, stride, meaning, serverless, in_template and references are required", c.ID)
	}
	for _, s := range c.STRIDE {
		if !strideNames[s] {
			return fmt.Errorf("%s: stride %q is not a STRIDE category", c.ID, s)
		}
	}
	return nil
}

var (
	owaspOnce sync.Once
	owaspCats []*Category
	owaspErr  error
)

// OWASP returns the ten categories in order S1..S10.
func OWASP() ([]*Category, error) {
	owaspOnce.Do(func() {
		fsys := catalogs.OWASPFS()
		ents, err := fs.ReadDir(fsys, "owasp")
		if err != nil {
			owaspErr = err
			return
		}
		for _, e := range ents {
			data, err := fs.ReadFile(fsys, "owasp/"+e.Name())
			if err != nil {
				owaspErr = err
				return
			}
			dec := yaml.NewDecoder(bytes.NewReader(data))
			dec.KnownFields(true)
			var c Category
			if err := dec.Decode(&c); err != nil {
				owaspErr = fmt.Errorf("catalogs/owasp/%s: %w", e.Name(), err)
				return
			}
			if err := c.Validate(); err != nil {
				owaspErr = fmt.Errorf("catalogs/owasp/%s: %w", e.Name(), err)
				return
			}
			owaspCats = append(owaspCats, &c)
		}
		sort.Slice(owaspCats, func(i, j int) bool { return catNum(owaspCats[i].ID) < catNum(owaspCats[j].ID) })
		if len(owaspCats) != 10 {
			owaspErr = fmt.Errorf("catalogs/owasp: %d categories, want S1..S10", len(owaspCats))
		}
	})
	return owaspCats, owaspErr
}

func catNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "S"))
	return n
}
