import net from "node:net";
import Fastify from "fastify";
import { listen, listeningUrl } from "./listen";

describe("listeningUrl", () => {
  test.each([
    [{ address: "127.0.0.1", family: "IPv4", port: 4010 }, "http://127.0.0.1:4010"],
    [{ address: "::1", family: "IPv6", port: 3001 }, "http://[::1]:3001"],
    [{ address: "0.0.0.0", family: "IPv4", port: 3001 }, "http://localhost:3001"],
    [{ address: "::", family: "IPv6", port: 3001 }, "http://localhost:3001"],
  ])("%j → %s", (address, url) => {
    expect(listeningUrl(address)).toBe(url);
  });

  test("refuses a pipe or a server that does not listen", () => {
    expect(() => listeningUrl("/tmp/socket")).toThrow(/not listening on a TCP port/);
    expect(() => listeningUrl(null)).toThrow(/not listening on a TCP port/);
  });
});

describe("listen", () => {
  test("listens on a free port and answers at the URL it gives back", async () => {
    const app = Fastify();
    app.get("/ping", async () => ({ pong: true }));
    const { url, port } = await listen(app, { port: 0, host: "127.0.0.1" });
    try {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(port).toBeGreaterThan(0);
      expect(await (await fetch(`${url}/ping`)).json()).toEqual({ pong: true });
    } finally {
      await app.close();
    }
  });

  test("closes the app when the port is taken, so nothing it opened stays open", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const app = Fastify();
    let closed = false;
    app.addHook("onClose", async () => {
      closed = true;
    });
    try {
      await expect(listen(app, { port: taken, host: "127.0.0.1" })).rejects.toThrow(/EADDRINUSE/);
      expect(closed).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
