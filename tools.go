//go:build tools

package tools

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/alexedwards/argon2id"
	_ "github.com/chromedp/chromedp"
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/emersion/go-smtp"
	_ "github.com/go-co-op/gocron/v2"
	_ "github.com/gofiber/fiber/v2"
	_ "github.com/gofiber/template/html/v2"
	_ "github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/joho/godotenv"
	_ "github.com/markbates/goth"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/shopspring/decimal"
	_ "github.com/uptrace/bun"
	_ "github.com/uptrace/bun/dialect/pgdialect"
	_ "github.com/uptrace/bun/migrate"
	_ "github.com/wneessen/go-mail"
	_ "golang.org/x/text/language"
	_ "golang.org/x/time/rate"
)
