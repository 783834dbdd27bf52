// Package frontend embeds the built workbench frontend (npm run build writes
// dist/) so the desktop app and `samthreat serve` ship it inside the binary.
// dist/.gitkeep keeps the embed compiling before the frontend is built.
package frontend

import "embed"

// Dist holds dist/ (index.html and its assets) under the "dist" prefix.
//
//go:embed all:dist
var Dist embed.FS
