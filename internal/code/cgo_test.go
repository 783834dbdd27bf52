//go:build cgo

package code

const cgoBuild = true
