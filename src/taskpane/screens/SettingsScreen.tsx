/**
 * Settings: where the relay is and the Infobip API key. The key is kept on this computer only while
 * "Remember on this computer" is ticked (unticking forgets it at once); "Test connection" says what is
 * wrong in plain words: relay unreachable, wrong key, missing scope. Below the form, "Check this Excel" proves the
 * add-in works in the user's Excel (CheckExcel.tsx).
 */
import * as React from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { MissingKeyError, currentApiKey, forgetStoredKey, isRemembered, maskKey } from "../credentials";
import { errorWords } from "../error-words";
import { RelayClient, RelayError, type ConnectionCheck } from "../relay-client";
import type { SelfTestReport } from "../../excel/self-test";
import { defaultRelayUrl } from "../settings";
import { CheckExcel } from "./CheckExcel";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  buttons: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  note: { color: tokens.colorNeutralForeground2 },
});

export interface SettingsScreenProps {
  relayUrl: string;
  onSave: (relayUrl: string, apiKey: string, remember: boolean) => void;
  inExcel: boolean;
  /** Runs "Check this Excel"; undefined outside Excel. */
  onCheckExcel?: () => Promise<SelfTestReport>;
}

type CheckState =
  | { state: "idle" }
  | { state: "checking" }
  | { state: "ok"; result: ConnectionCheck }
  | { state: "failed"; error: unknown };

/** Which field a connection problem belongs beside. */
function fieldOf(error: unknown): "url" | "key" | "none" {
  if (error instanceof MissingKeyError) return "key";
  if (!(error instanceof RelayError)) return "none";
  if (error.kind === "unreachable" || error.kind === "invalid-answer") return "url";
  if (error.kind === "unauthorized" || error.kind === "forbidden") return "key";
  return "none";
}

export function SettingsScreen({ relayUrl, onSave, inExcel, onCheckExcel }: SettingsScreenProps): React.JSX.Element {
  const styles = useStyles();
  const [url, setUrl] = React.useState(relayUrl);
  const [key, setKey] = React.useState(() => currentApiKey() ?? "");
  const [remember, setRemember] = React.useState(isRemembered);
  const [check, setCheck] = React.useState<CheckState>({ state: "idle" });
  const [saved, setSaved] = React.useState(false);
  const abort = React.useRef<AbortController | undefined>(undefined);

  React.useEffect(() => () => abort.current?.abort(), []);

  const test = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setCheck({ state: "checking" });
    try {
      const client = new RelayClient({ baseUrl: url || defaultRelayUrl(), apiKey: () => key.trim() || undefined });
      const result = await client.checkConnection(controller.signal);
      setCheck({ state: "ok", result });
    } catch (error) {
      if (controller.signal.aborted) return;
      setCheck({ state: "failed", error });
    }
  };

  const failure = check.state === "failed" ? errorWords(check.error, "The connection test failed") : undefined;
  const where = check.state === "failed" ? fieldOf(check.error) : "none";
  const message = failure ? `${failure.title} ${failure.body}` : undefined;
  /** An edited URL or key is not saved yet, and the last connection test no longer speaks for it. */
  const edit = (set: (value: string) => void) => (_: unknown, data: { value: string }) => {
    set(data.value);
    setSaved(false);
    setCheck({ state: "idle" });
  };

  return (
    <>
      <form
        className={styles.form}
        aria-label="Settings"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSave(url, key, remember);
          setSaved(true);
        }}
      >
        <Field
          label="Relay URL"
          hint={`Where the Billing Usage relay runs. Leave as is to use ${defaultRelayUrl()}.`}
          validationState={where === "url" ? "error" : "none"}
          validationMessage={where === "url" ? message : undefined}
        >
          <Input type="url" value={url} onChange={edit(setUrl)} />
        </Field>
        <Field
          label="Infobip API key"
          hint="Needs the billing:usage:view scope. Sent only to the relay, in a request header."
          validationState={where === "key" ? "error" : "none"}
          validationMessage={where === "key" ? message : undefined}
        >
          <Input type="password" autoComplete="off" value={key} onChange={edit(setKey)} />
        </Field>
        <Field hint="Without this, the key is forgotten when the pane closes. It is never saved in the workbook.">
          <Checkbox
            label="Remember on this computer"
            checked={remember}
            onChange={(_, data) => {
              const checked = data.checked === true;
              setRemember(checked);
              // Unticking forgets the stored key at once; the key stays for this session.
              if (!checked) forgetStoredKey(true);
              setSaved(false);
            }}
          />
        </Field>
        <div className={styles.buttons}>
          <Button type="submit" appearance="primary">
            Save settings
          </Button>
          <Button type="button" onClick={() => void test()} disabled={check.state === "checking"}>
            Test connection
          </Button>
          {check.state === "checking" ? <Spinner size="tiny" label="Checking…" /> : null}
        </div>
        {saved ? (
          <Text size={200} className={styles.note}>
            Saved
            {key.trim()
              ? ` (key ${maskKey(key.trim())}${remember ? ", remembered on this computer" : ", for this session"})`
              : ""}
            .
          </Text>
        ) : null}
        {check.state === "ok" ? (
          <MessageBar intent="success">
            <MessageBarBody>{check.result.message}</MessageBarBody>
          </MessageBar>
        ) : null}
        {failure && where === "none" ? (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>{failure.title}</MessageBarTitle>
              {failure.body}
            </MessageBarBody>
          </MessageBar>
        ) : null}
      </form>
      <CheckExcel inExcel={inExcel} {...(onCheckExcel ? { run: onCheckExcel } : {})} />
    </>
  );
}
