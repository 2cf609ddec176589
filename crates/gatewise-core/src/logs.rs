//! Log lines from nginx, Apache, HAProxy, Envoy, Caddy, Traefik, Heroku, IIS/ANCM, php-fpm, gunicorn and uWSGI, explained.
