//go:build cgo

package code

import (
	"context"

	sitter "github.com/smacker/go-tree-sitter"
)

// Tree-sitter helpers shared by the JavaScript/TypeScript, Python, Java, Ruby
// and C# analyzers. Tree-sitter always returns a tree (with ERROR nodes where
// the source does not parse); a file with errors still counts, its error is
// reported in the note.

type tsFile struct {
	path string
	src  []byte
	root *sitter.Node
	tree *sitter.Tree
}

func parseTS(lang *sitter.Language, path string, src []byte) (*tsFile, error) {
	p := sitter.NewParser()
	defer p.Close()
	p.SetLanguage(lang)
	tree, err := p.ParseCtx(context.Background(), nil, src)
	if err != nil {
		return nil, err
	}
	return &tsFile{path: path, src: src, root: tree.RootNode(), tree: tree}, nil
}

func (f *tsFile) close() {
	if f.tree != nil {
		f.tree.Close()
	}
}

func (f *tsFile) text(n *sitter.Node) string {
	if n == nil {
		return ""
	}
	return n.Content(f.src)
}

func line(n *sitter.Node) int { return int(n.StartPoint().Row) + 1 }

// walk visits every named node depth-first (pre-order), iteratively so that
// deeply nested code cannot exhaust the stack.
func walk(root *sitter.Node, visit func(n *sitter.Node)) {
	if root == nil {
		return
	}
	stack := []*sitter.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visit(n)
		for i := int(n.NamedChildCount()) - 1; i >= 0; i-- {
			if c := n.NamedChild(i); c != nil {
				stack = append(stack, c)
			}
		}
	}
}

func namedChildren(n *sitter.Node) []*sitter.Node {
	if n == nil {
		return nil
	}
	out := make([]*sitter.Node, 0, n.NamedChildCount())
	for i := 0; i < int(n.NamedChildCount()); i++ {
		out = append(out, n.NamedChild(i))
	}
	return out
}

// firstNamed returns the first named child of the given type.
func firstNamed(n *sitter.Node, typ string) *sitter.Node {
	for _, c := range namedChildren(n) {
		if c.Type() == typ {
			return c
		}
	}
	return nil
}

// operator returns the text of a binary node's operator token.
func (f *tsFile) operator(n *sitter.Node) string {
	if op := n.ChildByFieldName("operator"); op != nil {
		return f.text(op)
	}
	for i := 0; i < int(n.ChildCount()); i++ {
		c := n.Child(i)
		if !c.IsNamed() {
			return f.text(c)
		}
	}
	return ""
}

// countErrors reports whether the tree has syntax errors.
func hasErrors(root *sitter.Node) bool { return root != nil && root.HasError() }
