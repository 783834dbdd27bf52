//go:build !cgo

package code

const cgoBuild = false
