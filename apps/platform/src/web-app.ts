import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Browser routes all live under /app, so the fallback to index.html never answers for an unknown API route. */
export const WEB_APP_ROUTES = '/app{/*path}';

@Module({})
export class WebAppModule {
  /**
   * Serves the built web app (apps/web) at `/` and its pages under `/app/...`. Without a build the API
   * runs alone and says how to build the app.
   */
  static forRoot(webDir: string): DynamicModule {
    if (!existsSync(join(webDir, 'index.html'))) {
      new Logger('web').warn(`no web app in ${webDir}: run \`npm run build:web\` to serve it`);
      return { module: WebAppModule };
    }
    return {
      module: WebAppModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: webDir,
          renderPath: WEB_APP_ROUTES,
          serveStaticOptions: { fallthrough: true, index: 'index.html', immutable: false },
        }),
      ],
    };
  }
}
