# One image for every trialstream app; docker-compose.yml picks the app with `npm run start:<app>`
# (or `npm start` for the all-in-one platform, `npm run admin -- ...` for the admin CLI).
FROM node:20-slim

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. Dev dependencies stay: the build needs
# TypeScript. The apps and the command-line tools run the compiled dist/.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Only the sources: a host's node_modules, dist or data never leak into the image.
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY protocols ./protocols
COPY libs ./libs
COPY apps ./apps
# Both builds happen here, so that `npm start`'s prestart finds them fresh and the image runs as a plain user.
RUN npm run build -- --force && npm run build:web

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node

EXPOSE 3000
CMD ["npm", "start"]
