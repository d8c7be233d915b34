// Starlight's own setup (not pg-preflight's): the README's section adds a component and pages.
import starlight from "@astrojs/starlight";
import { defineConfig } from "astro/config";

export default defineConfig({
  integrations: [starlight({ title: "Our docs" })],
});
