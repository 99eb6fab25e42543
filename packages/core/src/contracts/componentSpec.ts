/** How a config names a component: its registry name and its options. */
export interface ComponentSpec {
  /** Registry name within the component's kind, e.g. `image-cnn`. */
  name: string;
  /** Options passed to the factory; validated against its schema. */
  config?: Record<string, unknown>;
}
