/**
 * `workbook.customXmlParts` and a part: add, find by namespace (a scoped collection with `getOnlyItem`),
 * read and replace its XML, delete. A part's XML must have a root element (its namespace is read from it).
 */
import { ClientObjectDouble, ClientResultDouble, NamedCollectionDouble } from "./client-object";
import type { RequestContextDouble } from "./context";
import { officeError } from "./errors";
import type { CustomXmlPartState } from "./state/workbook-state";

export class CustomXmlPartCollectionDouble extends NamedCollectionDouble<CustomXmlPartState, CustomXmlPartDouble> {
  protected readonly entity = "CustomXmlPartCollection";
  protected readonly itemClass = CustomXmlPartDouble;

  constructor(
    context: RequestContextDouble,
    path: string,
    locate: () => CustomXmlPartState[] | undefined,
    /** The namespace of a scoped collection (`getByNamespace`); undefined for `workbook.customXmlParts`. */
    private readonly namespaceUri: string | undefined
  ) {
    super(context, path, locate);
  }

  /** A part is reached by its id. */
  protected matches(part: CustomXmlPartState, id: string): boolean {
    return part.id === id;
  }

  protected keyOf(part: CustomXmlPartState): string {
    return part.id;
  }

  add(xml: string): CustomXmlPartDouble {
    if (this.namespaceUri !== undefined)
      throw officeError("InvalidOperation", "Parts are added to workbook.customXmlParts.");
    let created: CustomXmlPartState | undefined;
    this.context.enqueue("customXmlParts.add", "customXmlParts.add()", xml, () => {
      created = this.context.state.addCustomXmlPart(xml);
    });
    return new CustomXmlPartDouble(this.context, "customXmlParts.add()", () => created);
  }

  getByNamespace(namespaceUri: string): CustomXmlPartCollectionDouble {
    return new CustomXmlPartCollectionDouble(
      this.context,
      `customXmlParts.getByNamespace(${JSON.stringify(namespaceUri)})`,
      () => this.context.state.customXmlParts.filter((p) => p.namespaceUri === namespaceUri),
      namespaceUri
    );
  }

  /** Scoped collections: the only part, or an error when there are none or several (InvalidOperation). */
  getOnlyItem(): CustomXmlPartDouble {
    return this.proxy("getOnlyItem()", () => {
      const parts = this.resolve();
      if (parts.length !== 1)
        throw officeError("InvalidOperation", `Expected exactly one custom XML part, found ${parts.length}.`);
      return parts[0];
    });
  }

  getOnlyItemOrNullObject(): CustomXmlPartDouble {
    return this.proxy(
      "getOnlyItemOrNullObject()",
      () => {
        const parts = this.resolve();
        if (parts.length > 1)
          throw officeError("InvalidOperation", `Expected at most one custom XML part, found ${parts.length}.`);
        return parts[0];
      },
      true
    );
  }
}

export class CustomXmlPartDouble extends ClientObjectDouble<CustomXmlPartState> {
  protected readonly entity = "CustomXmlPart";
  protected readonly scalarProperties = ["id", "namespaceUri"];

  get id(): string {
    return this.get("id");
  }
  get namespaceUri(): string {
    return this.get("namespaceUri");
  }

  protected read(name: string, part: CustomXmlPartState): unknown {
    if (name === "id") return part.id;
    if (name === "namespaceUri") return part.namespaceUri;
    return this.unknownProperty(name);
  }

  getXml(): ClientResultDouble<string> {
    return this.result("customXmlPart.getXml", (part) => part.xml);
  }

  setXml(xml: string): void {
    this.command("customXmlPart.setXml", xml, (part) => this.context.state.setCustomXml(part, xml));
  }

  delete(): void {
    this.command("customXmlPart.delete", undefined, (part) => {
      this.context.state.customXmlParts = this.context.state.customXmlParts.filter((p) => p !== part);
    });
  }
}
